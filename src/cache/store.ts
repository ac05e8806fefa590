/**
 * The local store: one folder per fingerprint under `entries/`, holding
 * `meta.json` (what the entry holds), `outputs.tar` (the task's outputs) and
 * `output.log` (what it printed). An entry is built in a temporary folder and
 * renamed into place, so a concurrent run sees all of it or none; it is
 * removed by a rename away first, for the same reason. The store keeps under
 * a size: least recently used entries go first.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs'
import path from 'node:path'
import { publishFolder, removeFolder, temporaryName } from './atomic.js'
import { chooseEvictions, type EntryUsage } from './eviction.js'
import { hashFile } from './hash.js'

/** An entry of another format is not used. */
export const ENTRY_FORMAT = 'runts-entry/1'
/** The files of an entry, which is also what a shared-cache artifact holds. */
export const ENTRY_FILES = ['meta.json', 'outputs.tar', 'output.log'] as const

/** An output as stored: path from the root, size, content hash. */
export interface OutputFile {
  file: string
  size: number
  hash: string
}

/** An entry's `meta.json`. */
export interface EntryMeta {
  format: string
  key: string
  task: string
  /** How long the task took (ms): what a hit saves. */
  duration: number
  outputs: OutputFile[]
  /** Hashes of `outputs.tar` and `output.log`, checked before an entry from elsewhere is used. */
  archive: string
  log: string
}

/** The entries under `<cache>/entries/`. */
export class LocalStore {
  readonly entries: string

  constructor(
    dir: string,
    readonly maxBytes: number,
  ) {
    this.entries = path.join(dir, 'entries')
  }

  dir(key: string): string {
    return path.join(this.entries, key)
  }

  /** The entry's description, when the store has it whole. */
  read(key: string): EntryMeta | undefined {
    try {
      const meta = JSON.parse(readFileSync(path.join(this.dir(key), 'meta.json'), 'utf8')) as EntryMeta
      return meta.format === ENTRY_FORMAT && meta.key === key ? meta : undefined
    } catch {
      return undefined
    }
  }

  /** Marks an entry as just used, for eviction order. */
  touch(key: string): void {
    const now = new Date()
    try {
      utimesSync(path.join(this.dir(key), 'meta.json'), now, now)
    } catch {
      // Evicted meanwhile: nothing to mark.
    }
  }

  /** A fresh folder to build an entry in, to be passed to `publish`. */
  scratch(key: string): string {
    mkdirSync(this.entries, { recursive: true })
    const dir = temporaryName(this.dir(key))
    mkdirSync(dir)
    return dir
  }

  /** Moves a built entry into place (false when the same entry was already there), then keeps the store under its size. */
  publish(scratch: string, key: string): boolean {
    const published = publishFolder(scratch, this.dir(key))
    this.evict(key)
    return published
  }

  remove(key: string): void {
    removeFolder(this.dir(key))
  }

  usage(): EntryUsage[] {
    let names: string[]
    try {
      names = readdirSync(this.entries)
    } catch {
      return []
    }
    const out: EntryUsage[] = []
    for (const key of names) {
      if (key.startsWith('.tmp-')) continue
      try {
        let bytes = 0
        for (const name of ENTRY_FILES) bytes += statSync(path.join(this.dir(key), name), { throwIfNoEntry: false })?.size ?? 0
        out.push({ key, bytes, usedAt: statSync(path.join(this.dir(key), 'meta.json')).mtimeMs })
      } catch {
        // A half-removed or foreign folder: not an entry.
      }
    }
    return out
  }

  evict(keep?: string): void {
    for (const key of chooseEvictions(this.usage(), this.maxBytes, keep)) this.remove(key)
  }
}

/** The description of an entry built elsewhere (a shared-cache artifact), once its files check out against it. */
export function verifyEntry(dir: string, key: string): EntryMeta {
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as EntryMeta
  if (meta.format !== ENTRY_FORMAT || meta.key !== key || !Array.isArray(meta.outputs)) throw new Error('its description does not match')
  // Outputs are files inside the project, never anywhere else.
  const outside = meta.outputs.find(({ file }) => typeof file !== 'string' || path.isAbsolute(file) || file.split(/[\\/]/).includes('..'))
  if (outside) throw new Error(`it names an output outside the project (${JSON.stringify(outside.file)})`)
  if (hashFile(path.join(dir, 'outputs.tar')) !== meta.archive) throw new Error('its outputs do not match their hash')
  if (hashFile(path.join(dir, 'output.log')) !== meta.log) throw new Error('its output log does not match its hash')
  return meta
}
