/**
 * What the cache remembers about each task's last good run: its fingerprint,
 * and the size, modification time and hash of every input and output as they
 * were then. A later check trusts a file whose size and time are unchanged
 * (and not too recent to trust) without reading it: stat-only in the common
 * case, the way the compiled tasks file is checked.
 *
 * No value of a variable is kept: each is hashed with this cache's own salt.
 */
import { randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { temporaryName, writeFileAtomic } from './atomic.js'
import type { Fingerprint } from './fingerprint.js'
import { Digest, hashOf } from './hash.js'

/** A state written by another version of the format is not used. */
export const STATE_FORMAT = 'runts-task-state/2'
/** Modification times this close to when the stats were taken are checked by content. */
export const RACY_MS = 2000

/** An input as it was: path from the root, size, mtime (ms), content hash. */
export type InputStat = [file: string, size: number, mtimeMs: number, hash: string]
/** An output as it was after the run or the restore: path, size, mtime (ms). */
export type OutputStat = [file: string, size: number, mtimeMs: number]

/** A task's last good run, as recorded: the fingerprint of that run (`key`: its entry in the store), and its outputs. */
export interface TaskState extends Omit<Fingerprint, 'read'> {
  format: string
  task: string
  outputs: OutputStat[]
  /** When the outputs were statted. */
  outputsTaken: number
}

/** A size and time that can be trusted to mean an unchanged file. */
export function trusted(size: number, mtimeMs: number, was: { size: number; mtimeMs: number; taken: number }): boolean {
  return size === was.size && mtimeMs === was.mtimeMs && mtimeMs < was.taken - RACY_MS
}

/** The task states under `<cache>/state/`, and the salt of their hashes. */
export class TaskStates {
  private saltValue: string | undefined

  /** `dir`: the cache's own folder (state/ and the salt live there). */
  constructor(private readonly dir: string) {}

  private file(task: string): string {
    return path.join(this.dir, 'state', `${hashOf(task).slice(0, 24)}.json`)
  }

  read(task: string): TaskState | undefined {
    try {
      const state = JSON.parse(readFileSync(this.file(task), 'utf8')) as TaskState
      return state.format === STATE_FORMAT && state.task === task ? state : undefined
    } catch {
      return undefined
    }
  }

  write(state: TaskState): void {
    writeFileAtomic(this.file(state.task), JSON.stringify(state))
  }

  /** A hash of values that may be secret (variables, args): it tells a change without holding the values. */
  secretDigest(...fields: string[]): string {
    return new Digest().add(this.salt(), ...fields).digest()
  }

  private salt(): string {
    if (this.saltValue) return this.saltValue
    const file = path.join(this.dir, 'salt')
    try {
      this.saltValue = readFileSync(file, 'utf8')
    } catch {
      mkdirSync(this.dir, { recursive: true })
      const tmp = temporaryName(file)
      writeFileSync(tmp, randomBytes(32).toString('base64url'))
      try {
        // A link, not a rename: when two runs make one at once, the first stays and both use it.
        linkSync(tmp, file)
      } catch {
        // EEXIST: another run's salt won.
      } finally {
        rmSync(tmp, { force: true })
      }
      this.saltValue = readFileSync(file, 'utf8')
    }
    return this.saltValue
  }
}
