/**
 * Compiling the CLI's bundle from source is a large part of its start-up.
 * This loads the bundle through `vm.Script` with V8's code cache, kept in a
 * folder only this user can write, the way v8-compile-cache does for
 * CommonJS. The cache is checked by V8 against the source and the Node
 * version; a rejected or missing cache is written again when the process
 * exits. Node 22's own compile cache keeps only what compiling the bundle
 * compiled, not the functions a run compiles later, so this is used there
 * too (see src/cli.ts).
 */
import { createRequire } from 'node:module'
import { RAN_TASKS } from '../run/ran-tasks.js'

// Node's built-ins by require, not import: this module is part of the ES module entry, and importing
// node:fs there builds its ES module face from every export, lazy ones too (streams, fs/promises,
// readline), about 1.5 ms at every start.
const require = createRequire(import.meta.url)
const { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } =
  require('node:fs') as typeof import('node:fs')
const Module = require('node:module') as typeof import('node:module')
const os = require('node:os') as typeof import('node:os')
const path = require('node:path') as typeof import('node:path')
const vm = require('node:vm') as typeof import('node:vm')

/** Each bundle loaded so far, by its path: an extra required by main.cjs and by another extra is one module. */
const loaded = new Map<string, unknown>()

export function requireWithCodeCache(file: string): unknown {
  const source = readFileSync(file, 'utf8')
  const dir = cacheDir(file)
  // V8 checks a cache against the source's length only: the name carries the file's size and time too,
  // which change with every build and install (hashing the content costs more than the cache saves).
  const { size, mtimeMs } = statSync(file)
  const base = dir && path.join(dir, `${path.basename(file)}-${process.version}-${process.arch}-${size}-${Math.floor(mtimeMs)}`)
  const read = (kind: string) => {
    try {
      return base ? readFileSync(`${base}-${kind}.v8`) : undefined
    } catch {
      return undefined
    }
  }
  const full = read('full')
  const cachedData = full ?? read('list')
  const script = new vm.Script((Module as unknown as { wrap(s: string): string }).wrap(source), { filename: file, cachedData })
  if (base) {
    // After the run, so that the functions it compiled are in the cache too.
    process.once('exit', () => {
      const ranTasks = (globalThis as { [RAN_TASKS]?: boolean })[RAN_TASKS] === true
      const kind = ranTasks ? 'full' : 'list'
      if (cachedData && !script.cachedDataRejected && (full || !ranTasks)) return
      try {
        mkdirSync(path.dirname(base), { recursive: true, mode: 0o700 })
        writeFileSync(`${base}-${kind}.v8`, script.createCachedData(), { mode: 0o600 })
        // Caches of earlier builds of this file (another size or time) are never read again.
        const prefix = `${path.basename(file)}-`
        const current = path.basename(base)
        for (const name of readdirSync(path.dirname(base))) {
          if (name.startsWith(prefix) && name.endsWith('.v8') && !name.startsWith(current))
            rmSync(path.join(path.dirname(base), name), { force: true })
        }
      } catch {
        // a cache we cannot write is only slower
      }
    })
  }
  const module = { exports: {} as unknown }
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void
  // The CLI's rarely used parts (dist/extras/*.cjs) load through the code cache too, once, when needed:
  // once for the process (`loaded`), whichever bundle asks first (main.cjs, or an extra that uses another).
  const plain = Module.createRequire(file)
  const require = Object.assign((id: string) => {
    // `./extras/x.cjs` from main.cjs, `./y.cjs` from an extra.
    if (!/^\.\/(extras\/)?[\w-]+\.cjs$/.test(id)) return plain(id)
    const target = path.join(path.dirname(file), id)
    if (!loaded.has(target)) loaded.set(target, requireWithCodeCache(target))
    return loaded.get(target)
  }, plain)
  wrapper.call(module.exports, module.exports, require, module, file, path.dirname(file))
  return module.exports
}

/**
 * `node_modules/.cache/runts` beside the installed package, else a private folder in the temp dir.
 * Never inside a Python environment (runts from PyPI): `pip uninstall` would leave the files behind.
 */
function cacheDir(file: string): string | undefined {
  // dist/main.cjs, or dist/extras/NAME.cjs: the package is the folder above dist/ either way (else an
  // extra's cache went to the temp dir, shared by every install, where each deleted the others').
  const dist = path.basename(path.dirname(file)) === 'extras' ? path.dirname(path.dirname(file)) : path.dirname(file)
  const packageDir = path.dirname(dist)
  const inPython = /[\\/](?:site|dist)-packages[\\/]/.test(packageDir)
  const candidates = [
    path.basename(path.dirname(packageDir)) === 'node_modules' ? path.join(path.dirname(packageDir), '.cache', 'runts') : undefined,
    inPython ? undefined : path.join(packageDir, 'node_modules', '.cache', 'runts'),
    path.join(os.tmpdir(), `runts-cache-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`),
  ]
  for (const dir of candidates) {
    if (!dir) continue
    try {
      const stat = statSync(dir)
      // Never run code from a folder another user could have written.
      if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) continue
      return dir
    } catch {
      // Not there yet: it is made when the cache is first written, if its parent can be written to.
      const parent = path.dirname(dir)
      try {
        accessSync(existsSync(parent) ? parent : path.dirname(parent), constants.W_OK)
        return dir
      } catch {
        // try the next
      }
    }
  }
  return undefined
}
