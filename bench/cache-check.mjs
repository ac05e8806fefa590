#!/usr/bin/env node
// What checking an up-to-date task costs: a task with 1,000 and with 10,000
// input files, already run and recorded, checked by the cache (src/cache,
// bundled as the CLI bundles it) in a fresh process each time. Also the glob
// step alone with tinyglobby, fast-glob and the cache's own walk, to show why
// the walk; and a restore of 100 MB of outputs against `cp -r`. Medians of
// interleaved rounds (the machine's drift falls on all alike).
//
//   usage: node bench/cache-check.mjs [runs]      (default 15 runs per figure)
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const runs = Number(process.argv[2] ?? 15)
const repo = fileURLToPath(new URL('..', import.meta.url))
const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-cache-bench-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))

// The cache as the CLI would load it: one bundle, picomatch inside, tar left out (a check never loads it).
await build({
  stdin: {
    contents: [
      "export { Cache } from './src/cache/cache.ts'",
      "import { InputSet } from './src/cache/inputs/input-set.ts'",
      'export const globFiles = (root, patterns) => new InputSet(patterns).files(root).map((found) => found.file)',
      "export { buildGraph } from './src/plan/graph.ts'",
      "export { task } from './src/api/task.ts'",
      '',
    ].join('\n'),
    resolveDir: repo,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  external: ['tar'],
  minifyWhitespace: true,
  outfile: path.join(dir, 'check.mjs'),
  banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
  logLevel: 'warning',
})
// tar stays an import (a first run stores with it): resolve it from the repository.
symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'))

const driver = path.join(dir, 'driver.mjs')
writeFileSync(
  driver,
  `const started = performance.now()
const { Cache, buildGraph, task } = await import('./check.mjs')
const [root, mode, globs] = process.argv.slice(2)
if (mode === 'load') {
  console.log(performance.now() - started)
  process.exit(0)
}
const inputs = globs === 'picomatch' ? ['src/**/*.py', 'pyproject.toml'] : ['src/**', 'pyproject.toml']
const node = buildGraph({ [globs]: task({ inputs, outputs: ['dist/**'], run: () => {} }) }).byName.get(globs)
const cache = new Cache({ root, env: {}, warn: (m) => console.error(m) })
const opened = await cache.open(node, [])
if (mode === 'record') {
  if (opened.action !== 'run') throw new Error('expected a first run')
  mkdirSync(root + '/dist', { recursive: true }); writeFileSync(root + '/dist/out.txt', 'built')
  await opened.finish({ ok: true, output: [{ stream: 'stdout', data: Buffer.from('built\\n') }] })
} else if (opened.status !== 'up-to-date') throw new Error('expected up to date, got ' + (opened.status ?? opened.action))
console.log(performance.now() - started)
import { mkdirSync, writeFileSync } from 'node:fs'
`,
)
const globDriver = path.join(dir, 'glob.mjs')
const require = createRequire(import.meta.url)
// Both come with the dev dependencies (vitest, verdaccio); whichever is missing is left out.
const resolve = (name) => {
  try {
    return require.resolve(name)
  } catch {
    return undefined
  }
}
const others = ['tinyglobby', 'fast-glob'].filter((name) => resolve(name))
writeFileSync(
  globDriver,
  `const [lib, root] = process.argv.slice(2)
const started = performance.now()
const patterns = ['src/**', 'pyproject.toml']
const ignore = ['**/node_modules/**', '**/.git/**']
let files
if (lib === 'tinyglobby') files = (await import(${JSON.stringify(resolve('tinyglobby') ?? '')})).globSync(patterns, { cwd: root, dot: true, ignore })
else if (lib === 'fast-glob') files = (await import(${JSON.stringify(resolve('fast-glob') ?? '')})).default.sync(patterns, { cwd: root, dot: true, ignore })
else if (lib === 'walk, src/**/*.py') files = (await import('./check.mjs')).globFiles(root, ['src/**/*.py', 'pyproject.toml'])
else files = (await import('./check.mjs')).globFiles(root, patterns)
console.log(performance.now() - started, files.length)
`,
)

function project(n) {
  const root = path.join(dir, `p${n}`)
  const old = new Date(Date.now() - 3600_000)
  for (let i = 0; i < n; i++) {
    const folder = path.join(root, 'src', `pkg${Math.floor(i / 500)}`, `mod${Math.floor(i / 50)}`)
    mkdirSync(folder, { recursive: true })
    const file = path.join(folder, `f${i}.py`)
    writeFileSync(file, `value = ${i}\n`)
    utimesSync(file, old, old)
  }
  writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "bench"\n')
  utimesSync(path.join(root, 'pyproject.toml'), old, old)
  mkdirSync(path.join(root, 'node_modules'))
  return root
}

const node = (args) => {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' })
  const wall = Number(process.hrtime.bigint() - t0) / 1e6
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`)
  return { wall, inside: Number(r.stdout.split(' ')[0]) }
}

const sizes = [1000, 10000]
const roots = Object.fromEntries(sizes.map((n) => [n, project(n)]))
const globsets = { plain: "'src/**'", picomatch: "'src/**/*.py'" }
for (const n of sizes) {
  for (const globs of Object.keys(globsets)) {
    node([driver, roots[n], 'record', globs])
    node([driver, roots[n], 'check', globs]) // the first check after a run may still read (recent mtimes); not measured
  }
}

const samples = {}
const add = (name, value) => {
  samples[name] ??= []
  samples[name].push(value)
}
for (let round = 0; round < runs; round++) {
  add('node -e 0', node(['-e', '0']).wall)
  add('no check (node, loading the cache bundle)', node([driver, roots[sizes[0]], 'load']).wall)
  for (const n of sizes) {
    for (const [globs, shown] of Object.entries(globsets)) {
      const r = node([driver, roots[n], 'check', globs])
      add(`up-to-date check, ${n} inputs, ${shown}: whole process`, r.wall)
      add(`up-to-date check, ${n} inputs, ${shown}: load + check`, r.inside)
    }
    for (const lib of ['walk', 'walk, src/**/*.py', ...others])
      add(`glob ${n} files: ${lib} (load + glob)`, node([globDriver, lib, roots[n]]).inside)
  }
}
// Restoring 100 MB of outputs (100 files of 1 MiB, in two folders) against `cp -r` of the same files.
{
  const { Cache, buildGraph, task } = await import(path.join(dir, 'check.mjs'))
  const root = path.join(dir, 'restore')
  mkdirSync(path.join(root, 'src'), { recursive: true })
  mkdirSync(path.join(root, 'node_modules'))
  writeFileSync(path.join(root, 'src', 'a.txt'), 'a')
  const build = buildGraph({ build: task({ inputs: ['src/**'], outputs: ['dist/**'], run: () => {} }) }).byName.get('build')
  const opened = await new Cache({ root, env: {}, warn: console.error }).open(build, [])
  mkdirSync(path.join(root, 'dist', 'sub'), { recursive: true })
  for (let i = 0; i < 100; i++) writeFileSync(path.join(root, 'dist', i % 2 ? 'sub' : '', `f${i}.bin`), randomBytes(1 << 20))
  await opened.finish({ ok: true, output: [] })
  const copy = path.join(dir, 'copy')
  for (let round = 0; round < Math.max(5, Math.ceil(runs / 3)); round++) {
    cpSync(path.join(root, 'dist'), path.join(dir, 'copy-from'), { recursive: true })
    rmSync(path.join(root, 'dist'), { recursive: true })
    const t0 = performance.now()
    const restored = await new Cache({ root, env: {}, warn: console.error }).open(build, [])
    add('restore 100 MB of outputs', performance.now() - t0)
    if (restored.status !== 'restored') throw new Error(`expected a restore, got ${restored.status ?? restored.action}`)
    rmSync(copy, { recursive: true, force: true })
    const t1 = performance.now()
    spawnSync('cp', ['-r', path.join(dir, 'copy-from'), copy])
    add('cp -r of the same 100 MB', performance.now() - t1)
    rmSync(path.join(dir, 'copy-from'), { recursive: true })
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
console.log(`| measure (${runs} runs, medians) | ms |\n| --- | ---: |`)
for (const [name, xs] of Object.entries(samples)) console.log(`| ${name} | ${median(xs).toFixed(1)} |`)
