/**
 * The local store: one folder per fingerprint under `entries/`, holding
 * `meta.json` (what the entry holds), `outputs/` (copies of the task's output
 * files, by their paths from the project root), `output.log` (what it
 * printed) and `bytes` (its size). An entry is built in a temporary folder and
 * renamed into place, so a concurrent run sees all of it or none; it is
 * removed by a rename away first, for the same reason. The store keeps under
 * a size: least recently used entries go first.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { publishFolder, removeFolder, temporaryName } from './atomic.js'
import { OUTPUTS_DIR } from './copies.js'
import { chooseEvictions, type EntryUsage } from './eviction.js'

/** An entry of another format is not used. */
export const ENTRY_FORMAT = 'runts-entry/2'
/** What a shared-cache artifact holds of an entry (`outputs` is a folder). */
export const ENTRY_FILES = ['meta.json', 'output.log', OUTPUTS_DIR] as const
/** The files of an entry of the first format, which held its outputs in one tar: counted until evicted. */
const FORMAT_1_FILES = ['meta.json', 'outputs.tar', 'output.log']

/** An output as stored: path from the root, size, content hash, and its time, which a restored copy gets back. */
export interface OutputFile {
  file: string
  size: number
  hash: string
  mtimeMs?: number
}

/** An entry's `meta.json`. */
export interface EntryMeta {
  format: string
  key: string
  task: string
  /** How long the task took (ms): what a hit saves. */
  duration: number
  outputs: OutputFile[]
  /** The hash of `output.log` (each output's own is in `outputs`), checked before an entry from elsewhere is used. */
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

  /** Moves a built entry of `bytes` into place (false when the same entry was already there), then keeps the store under its size. */
  publish(scratch: string, key: string, bytes: number): boolean {
    writeFileSync(path.join(scratch, 'bytes'), String(bytes))
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
        const dir = this.dir(key)
        let bytes = Number(readFileSync(path.join(dir, 'bytes'), 'utf8').trim())
        if (!Number.isFinite(bytes)) bytes = 0
        out.push({ key, bytes, usedAt: statSync(path.join(dir, 'meta.json')).mtimeMs })
      } catch {
        // An entry of the first format (no `bytes`), a half-removed or a foreign folder.
        const legacy = formatOneUsage(this.dir(key), key)
        if (legacy) out.push(legacy)
      }
    }
    return out
  }

  evict(keep?: string): void {
    for (const key of chooseEvictions(this.usage(), this.maxBytes, keep)) this.remove(key)
  }
}

function formatOneUsage(dir: string, key: string): EntryUsage | undefined {
  try {
    let bytes = 0
    for (const name of FORMAT_1_FILES) bytes += statSync(path.join(dir, name), { throwIfNoEntry: false })?.size ?? 0
    return { key, bytes, usedAt: statSync(path.join(dir, 'meta.json')).mtimeMs }
  } catch {
    return undefined
  }
}
