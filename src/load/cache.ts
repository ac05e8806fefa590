/**
 * The on-disk cache of compiled tasks files, under the nearest
 * `node_modules/.cache/runts` (so that the compiled file's imports resolve as
 * from the project). An entry is keyed by the content of every file that went
 * into the build. Checking it is the hot path of every `run`: it stats the
 * inputs and compares size and modification time, and hashes a file's content
 * only when those changed or are too recent to trust (an edit within the same
 * moment as the build).
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { findUpPath, writeAtomic } from '../util/fs.js'
import { sha256 } from '../util/hash.js'
import { VERSION } from '../version.js'

/** A cache made by another version of runts is not used. */
const FORMAT = `${VERSION}/5`
/** Modification times this close to the build are checked by content. */
const RACY_MS = 2000

export interface Input {
  file: string
  hash: string
  size: number
  mtimeMs: number
}

export interface Manifest {
  format: string
  /** When the build was written (ms since the epoch). */
  written: number
  /** The compiled module, a file name in the cache folder. */
  output: string
  inputs: Input[]
}

export interface CacheEntry {
  dir: string
  manifestFile: string
  key: string
}

export function cacheEntry(file: string): CacheEntry {
  const dir = cacheDir(path.dirname(file))
  const key = fnv1a(file)
  return { dir, key, manifestFile: path.join(dir, `${key}.json`) }
}

/** The cached build of the tasks file, when every input is unchanged. */
export function cachedBuild(entry: CacheEntry): { url: string; inputs: string[] } | undefined {
  let manifest: Manifest
  try {
    manifest = JSON.parse(readFileSync(entry.manifestFile, 'utf8')) as Manifest
  } catch {
    return undefined
  }
  if (manifest.format !== FORMAT || !existsSync(path.join(entry.dir, manifest.output))) return undefined
  for (const input of manifest.inputs) {
    let stat: { size: number; mtimeMs: number }
    try {
      stat = statSync(input.file)
    } catch {
      return undefined
    }
    const trusted = stat.size === input.size && stat.mtimeMs === input.mtimeMs && stat.mtimeMs < manifest.written - RACY_MS
    if (!trusted && hashFile(input.file) !== input.hash) return undefined
  }
  return { url: pathToFileURL(path.join(entry.dir, manifest.output)).href, inputs: manifest.inputs.map((i) => i.file) }
}

export function describeInputs(files: string[]): Input[] {
  return files.map((file) => {
    const { size, mtimeMs } = statSync(file)
    return { file, size, mtimeMs, hash: hashFile(file) }
  })
}

export function writeManifest(entry: CacheEntry, output: string, inputs: Input[]): void {
  const manifest: Manifest = { format: FORMAT, written: Date.now(), output, inputs }
  writeAtomic(entry.manifestFile, JSON.stringify(manifest))
}

function hashFile(file: string): string {
  try {
    return sha256(readFileSync(file))
  } catch {
    return ''
  }
}

/** The nearest `node_modules/.cache/runts`: imports from there resolve as from the project. */
function cacheDir(from: string): string {
  const modules = findUpPath(from, 'node_modules')
  if (modules) return path.join(modules, '.cache', 'runts')
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : 'user'
  return path.join(os.tmpdir(), `runts-cache-${user}`)
}

/** A short, stable name for a path (not a security boundary: the manifest holds the real inputs). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}
