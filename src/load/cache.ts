/**
 * The on-disk cache of compiled tasks files, under the nearest
 * `node_modules/.cache/runts` (so that the compiled file's imports resolve as
 * from the project). An entry is keyed by the content of every file that went
 * into the build. Checking it is the hot path of every `run`: it stats the
 * inputs and compares size and modification time, and hashes a file's content
 * only when those changed or are too recent to trust (an edit within the same
 * moment as the build).
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs'
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
  /**
   * Outside the project's node_modules (none there, or it cannot be written: a root-built image run by
   * another user): the compiled module's package imports are then resolved when it is compiled.
   */
  outside: boolean
}

export function cacheEntry(file: string): CacheEntry {
  const key = fnv1a(file)
  const modules = findUpPath(path.dirname(file), 'node_modules')
  const inside = modules && writable(path.join(modules, '.cache', 'runts')) ? path.join(modules, '.cache', 'runts') : undefined
  const dir = inside ?? privateDir()
  return { dir, key, manifestFile: path.join(dir, `${key}.json`), outside: inside === undefined }
}

/** A folder this user can write (or create), checked without writing anything. */
function writable(dir: string): boolean {
  for (let at = dir; ; at = path.dirname(at)) {
    try {
      accessSync(at, constants.W_OK)
      return true
    } catch (error) {
      // A folder that does not exist yet is made when the cache is written, if its parent can be.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(at) === at) return false
    }
  }
}

/** A folder in the temp dir that only this user can write (one someone else made there is never used). */
export function privateDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined
  const dir = path.join(os.tmpdir(), `runts-cache-${uid ?? 'user'}`)
  try {
    const stat = statSync(dir)
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) return `${dir}-${process.pid}`
  } catch {
    // made when first written
  }
  return dir
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

/** A short, stable name for a path (not a security boundary: the manifest holds the real inputs). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}
