/**
 * Node 22 caches compiled code itself (`module.enableCompileCache()`). On
 * older Node the CLI's bundle is compiled from source on every run, which is
 * a large part of its start-up. This loads the bundle through `vm.Script`
 * with V8's code cache, kept in a folder only this user can write, the way
 * v8-compile-cache does for CommonJS. The cache is checked by V8 against the
 * source and the Node version; a rejected or missing cache is written again
 * when the process exits.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import vm from 'node:vm'

export function requireWithCodeCache(file: string): unknown {
  const source = readFileSync(file, 'utf8')
  const dir = cacheDir(file)
  // V8 checks a cache against the source's length only: the name carries a hash of the content.
  const cacheFile = dir && path.join(dir, `${path.basename(file)}-${process.version}-${process.arch}-${fnv1a(source)}.v8`)
  let cachedData: Buffer | undefined
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile)
  } catch {
    // first run
  }
  const script = new vm.Script((Module as unknown as { wrap(s: string): string }).wrap(source), { filename: file, cachedData })
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    // After the run, so that the functions it compiled are in the cache too.
    process.once('exit', () => {
      try {
        writeFileSync(cacheFile, script.createCachedData(), { mode: 0o600 })
      } catch {
        // a cache we cannot write is only slower
      }
    })
  }
  const module = { exports: {} as unknown }
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file))
  return module.exports
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return `${h.toString(16)}-${text.length}`
}

/** `node_modules/.cache/runts` beside the installed package, else a private folder in the temp dir. */
function cacheDir(file: string): string | undefined {
  const packageDir = path.dirname(path.dirname(file))
  const candidates = [
    path.basename(path.dirname(packageDir)) === 'node_modules' ? path.join(path.dirname(packageDir), '.cache', 'runts') : undefined,
    path.join(packageDir, 'node_modules', '.cache', 'runts'),
    path.join(os.tmpdir(), `runts-cache-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`),
  ]
  for (const dir of candidates) {
    if (!dir) continue
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      const stat = statSync(dir)
      // Never run code from a folder another user could have written.
      if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) continue
      return dir
    } catch {
      // not writable: try the next
    }
  }
  return undefined
}
