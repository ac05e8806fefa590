/**
 * The local store: one folder per fingerprint under `entries/` (see
 * entry-format.ts), plus `bytes` (its size). An entry is built in a temporary
 * folder and renamed into place, so a concurrent run sees all of it or none;
 * it is removed by a rename away first, for the same reason. The store keeps
 * under a size: least recently used entries go first. What a run killed
 * half-way left behind (its temporary folders and files) is removed once
 * that run is gone.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { orphaned, publishFolder, removeFolder, temporaryName } from './atomic.js'
import { ENTRY_FORMAT, type EntryMeta } from './entry-format.js'
import { chooseEvictions, type EntryUsage } from './eviction.js'

/** The files of an entry of the first format, which held its outputs in one tar: counted until evicted. */
const FORMAT_1_FILES = ['meta.json', 'outputs.tar', 'output.log']

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

  /** The entry's description, when the store has one of this format and key. */
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

  /** A fresh file name in the store (a download, an upload being packed); the caller removes it. */
  scratchFile(name: string): string {
    mkdirSync(this.entries, { recursive: true })
    return temporaryName(path.join(this.entries, name))
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
      if (key.startsWith('.tmp-')) {
        // What a run killed half-way left (a download, an entry being built): nothing will finish or remove it but us.
        if (orphaned(key)) rmSync(path.join(this.entries, key), { recursive: true, force: true })
        continue
      }
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
