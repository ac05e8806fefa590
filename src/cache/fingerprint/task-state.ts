/**
 * What the cache remembers about each task's last good run: its fingerprint,
 * and the stat and hash of every input (input-table.ts) and the stat
 * of every output as they were then. A later check trusts a file whose stat is unchanged (file-stat.ts)
 * without reading it: stat-only in the common case.
 *
 * No value of a variable is kept: each is hashed with this cache's own salt.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { writeAtomic } from '../../util/fs.js'
import type { OutputStat } from './file-stat.js'
import type { Fingerprint } from './fingerprint.js'
import { Digest, hashOf } from './hash.js'
import { isTable } from './input-table.js'

/** A state written by another version of the format is not used. */
export const STATE_FORMAT = 'runts-task-state/3'

/** A task's last good run, as recorded: the fingerprint of that run (`key`: its entry in the store), and its outputs. */
export interface TaskState extends Omit<Fingerprint, 'read' | 'secrets'> {
  format: string
  task: string
  outputs: OutputStat[]
  /** When the outputs were statted. */
  outputsTaken: number
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
      const ok = state.format === STATE_FORMAT && state.task === task && isTable(state.inputs) && Array.isArray(state.outputs)
      return ok ? state : undefined
    } catch {
      return undefined
    }
  }

  write(state: TaskState): void {
    const file = this.file(state.task)
    mkdirSync(path.dirname(file), { recursive: true })
    writeAtomic(file, JSON.stringify(state))
    // A task of this run removed the cache folder (a `clean`): the salt this state's hashes are salted
    // with goes back, or the next run would find every variable and arg changed.
    if (this.saltValue && !existsSync(this.saltFile)) this.makeSalt(this.saltValue)
  }

  /** A hash of values that may be secret (variables, args): it tells a change without holding the values. */
  digest(...fields: string[]): string {
    return new Digest().add(this.salt(), ...fields).digest()
  }

  /** This cache's own random salt, made on first use. */
  salt(): string {
    if (this.saltValue) return this.saltValue
    try {
      this.saltValue = readFileSync(this.saltFile, 'utf8')
    } catch {
      this.makeSalt(randomBytes(32).toString('base64url'))
      this.saltValue = readFileSync(this.saltFile, 'utf8')
    }
    return this.saltValue
  }

  private get saltFile(): string {
    return path.join(this.dir, 'salt')
  }

  /** Writes the salt file, unless another run wrote one first (then both use that one). */
  private makeSalt(value: string): void {
    mkdirSync(this.dir, { recursive: true })
    const tmp = `${this.saltFile}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`
    writeFileSync(tmp, value)
    try {
      // A link, not a rename: when two runs make one at once, the first stays and both use it.
      linkSync(tmp, this.saltFile)
    } catch {
      // EEXIST: another run's salt won.
    } finally {
      rmSync(tmp, { force: true })
    }
  }
}
