// The Node versions runts is tested and measured on besides the one running this script: the official
// builds, from npm's `node-<platform>-<arch>` packages, each installed once into its own folder under
// node_modules/.cache/runts-node/ (a no-op when it is there). Node 20 is what Debian 13 ships (and what
// `engines` allows); 22 and 24 are what most users run, and take other paths (native type stripping,
// Node's own compile cache). Plain JavaScript, so that CI can run it before anything is built:
//   node scripts/nodes.mjs [22 24]    (prints each major and its node binary, one per line)
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
/** The exact builds: a new one is a change to this file, so that CI's figures stay comparable. */
export const NODE_VERSIONS = { 22: '22.23.5', 24: '24.22.3' }
export const nodesDir = path.join(root, 'node_modules', '.cache', 'runts-node')

/** The node binary of `major` (22 or 24), installed from npm first when it is not there yet. */
export function nodeBinary(major, { log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const version = NODE_VERSIONS[major]
  if (!version) throw new Error(`no Node ${major} here: choose one of ${Object.keys(NODE_VERSIONS).join(', ')}`)
  const name = `node-${process.platform}-${process.arch}`
  const prefix = path.join(nodesDir, String(major))
  const bin = path.join(prefix, 'node_modules', name, 'bin', process.platform === 'win32' ? 'node.exe' : 'node')
  if (installedVersion(prefix, name) === version && existsSync(bin)) return bin
  log(`node ${major}: installing ${name}@${version} into ${path.relative(root, prefix)} (once)`)
  // npm's own command line, as the project's other tools are installed; nothing is added to package.json.
  execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `${name}@${version}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (!existsSync(bin)) throw new Error(`node ${major}: ${name}@${version} installed no ${bin}`)
  return bin
}

function installedVersion(prefix, name) {
  try {
    return JSON.parse(readFileSync(path.join(prefix, 'node_modules', name, 'package.json'), 'utf8')).version
  } catch {
    return undefined
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const majors = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(NODE_VERSIONS)
  for (const major of majors) console.log(`${major} ${nodeBinary(major)}`)
}
