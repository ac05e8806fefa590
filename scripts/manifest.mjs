// npm lists a package's lifecycle scripts to whoever installs it, and `prepare`
// (which builds dist/ in a clone of this repository) means nothing in the
// published package, where dist/ is already built. `npm pack` and
// `npm publish` call this before packing (strip) and after (restore), so the
// packed package.json has no `prepare`; the original is kept aside meanwhile.
//   usage: node scripts/manifest.mjs strip|restore
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const file = fileURLToPath(new URL('../package.json', import.meta.url))
const kept = `${file}.unpacked`
const action = process.argv[2]
if (action === 'strip') {
  if (existsSync(kept)) throw new Error(`${kept} exists: a previous pack did not finish; run 'node scripts/manifest.mjs restore'`)
  const text = readFileSync(file, 'utf8')
  const manifest = JSON.parse(text)
  writeFileSync(kept, text)
  delete manifest.scripts.prepare
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`)
} else if (action === 'restore') {
  if (existsSync(kept)) renameSync(kept, file)
} else {
  console.error('usage: node scripts/manifest.mjs strip|restore')
  process.exit(2)
}
