/**
 * The cache, as the runner's gate: before a task with `inputs` is performed
 * (after its deps ran), its fingerprint is taken; a fingerprint seen before
 * skips the task (up to date, or its outputs restored from the local store or
 * the shared cache) and replays what it printed. After a good run, its
 * outputs and output are stored under that fingerprint. A failed, stopped or
 * timed-out run records nothing. The cache never fails a run: when it cannot
 * do its part, it warns and the task runs.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { TaskNode } from '../plan/graph.js'
import type { Gate, Opened, OutputChunk } from '../run/gate.js'
import { packFiles, unpackFiles } from './archive.js'
import { changeReason, NO_INPUTS, RESTORES, UP_TO_DATE } from './explain.js'
import { type Fingerprint, fingerprint } from './fingerprint.js'
import { hashFile, hashOf } from './hash.js'
import { checkOutputs, collectOutputs, statOutputs } from './outputs.js'
import { remoteConfig } from './remote-config.js'
import { decodeOutput, encodeOutput, type MaskBytes } from './replay.js'
import { SharedCache } from './shared-cache.js'
import { ENTRY_FORMAT, type EntryMeta, LocalStore } from './store.js'
import { STATE_FORMAT, type TaskState, TaskStates } from './task-state.js'

export interface CacheOptions {
  /** The project root: globs and outputs are relative to it. */
  root: string
  /** The environment after `.env` loading: the tasks' `env` values and the `RUNTS_REMOTE_CACHE_*` settings. */
  env: Readonly<Record<string, string | undefined>>
  /** Called at most once per problem kind a run meets (a shared cache that fails, an output too large to keep). */
  warn: (message: string) => void
  /** Masks what a task printed before it is stored (its bytes as latin1 text): `masker.bytes.mask`. */
  mask?: MaskBytes
  /** `--force`: every task runs, and records its fingerprint. */
  force?: boolean
  /** Default `<root>/node_modules/.cache/runts/tasks`. */
  dir?: string
  /** The local store's size limit; default 1 GiB. */
  maxBytes?: number
  /** How long the shared cache may stay silent; default 5 s. */
  remoteTimeoutMs?: number
  now?: () => number
}

const RUN_ANYWAY: Opened = { action: 'run', record: false, finish: async () => {} }

export class Cache implements Gate {
  private readonly root: string
  private readonly states: TaskStates
  private readonly store: LocalStore
  private readonly shared: SharedCache | undefined
  private readonly now: () => number

  constructor(private readonly options: CacheOptions) {
    this.root = path.resolve(options.root)
    const dir = options.dir ?? path.join(this.root, 'node_modules', '.cache', 'runts', 'tasks')
    this.states = new TaskStates(dir)
    this.store = new LocalStore(dir, options.maxBytes ?? 1024 ** 3)
    this.now = options.now ?? Date.now
    const remote = remoteConfig(options.env, options.remoteTimeoutMs)
    if (remote && 'problem' in remote) options.warn(remote.problem)
    else if (remote) this.shared = new SharedCache(remote, options.warn)
  }

  async open(task: TaskNode, args: readonly string[]): Promise<Opened> {
    if (!task.inputs || !task.run) return RUN_ANYWAY
    const previous = this.states.read(task.name)
    const taken = this.take(task, args, previous)
    if (!taken) return RUN_ANYWAY
    if (!this.options.force) {
      const skip = await this.reuse(task, taken, previous)
      if (skip) return skip
    }
    const started = this.now()
    return {
      action: 'run',
      record: true,
      finish: async ({ ok, output }) => {
        if (ok) await this.record(task, taken, output, this.now() - started)
      },
    }
  }

  /** `run --why`'s reason for this task: `up to date`, `restores from cache`, or what changed. Nothing runs, nothing is restored. */
  async explain(task: TaskNode, args: readonly string[]): Promise<string> {
    if (!task.inputs || !task.run) return NO_INPUTS
    const previous = this.states.read(task.name)
    const now = this.take(task, args, previous)
    if (!now) return 'its inputs cannot be read'
    const meta = this.store.read(now.key)
    if (meta) return checkOutputs(this.root, meta.outputs, this.seen(previous, now)).unchanged ? UP_TO_DATE : RESTORES
    if (this.shared && (await this.shared.has(now.key, task.name))) return RESTORES
    return changeReason(previous, now)
  }

  /** Waits for uploads to the shared cache still under way (call before exiting). */
  async flush(): Promise<void> {
    await this.shared?.flush()
  }

  private take(task: TaskNode, args: readonly string[], previous: TaskState | undefined): Fingerprint | undefined {
    try {
      return fingerprint(task, args, { root: this.root, env: this.options.env, states: this.states, now: this.now }, previous)
    } catch (error) {
      this.options.warn(`cannot read the inputs of ${task.name} (${(error as Error).message}); it runs`)
      return undefined
    }
  }

  private seen(previous: TaskState | undefined, now: Fingerprint) {
    return previous?.key === now.key ? { stats: previous.outputs, taken: previous.outputsTaken } : undefined
  }

  private async reuse(task: TaskNode, now: Fingerprint, previous: TaskState | undefined): Promise<Opened | undefined> {
    let meta = this.store.read(now.key)
    if (!meta && this.shared && (await this.shared.fetch(now.key, task.name, this.store))) meta = this.store.read(now.key)
    if (!meta) return undefined
    const dir = this.store.dir(now.key)
    let output: OutputChunk[]
    try {
      output = decodeOutput(readFileSync(path.join(dir, 'output.log')))
    } catch {
      this.store.remove(now.key)
      return undefined
    }
    const check = checkOutputs(this.root, meta.outputs, this.seen(previous, now))
    let stats = check.stats
    if (!check.unchanged) {
      try {
        await unpackFiles(path.join(dir, 'outputs.tar'), this.root)
        stats = statOutputs(this.root, meta.outputs)
      } catch {
        // A damaged or vanished entry: the task runs and stores a new one.
        this.store.remove(now.key)
        return undefined
      }
    }
    if (previous?.key !== now.key || now.read > 0 || check.read > 0 || !check.unchanged) {
      // So that the next check is stat-only again.
      this.states.write(this.state(task, now, stats))
    }
    this.store.touch(now.key)
    return { action: 'skip', status: check.unchanged ? 'up-to-date' : 'restored', output }
  }

  private async record(task: TaskNode, now: Fingerprint, output: readonly OutputChunk[], duration: number): Promise<void> {
    const scratch = this.store.scratch(now.key)
    try {
      const outputs = collectOutputs(this.root, task.outputs ?? [])
      const archive = path.join(scratch, 'outputs.tar')
      await packFiles(
        this.root,
        outputs.files.map((o) => o.file),
        archive,
      )
      const log = encodeOutput(output, this.options.mask)
      writeFileSync(path.join(scratch, 'output.log'), log)
      const bytes = statSync(archive).size + log.length
      if (bytes > this.store.maxBytes) {
        rmSync(scratch, { recursive: true, force: true })
        this.options.warn(
          `${task.name}'s outputs (${mib(bytes)}) are larger than the whole cache (${mib(this.store.maxBytes)}); they were not cached`,
        )
        return
      }
      const meta: EntryMeta = {
        format: ENTRY_FORMAT,
        key: now.key,
        task: task.name,
        duration,
        outputs: outputs.files,
        archive: hashFile(archive),
        log: hashOf(log),
      }
      writeFileSync(path.join(scratch, 'meta.json'), JSON.stringify(meta))
      this.store.publish(scratch, now.key)
      this.states.write(this.state(task, now, outputs.stats))
    } catch (error) {
      rmSync(scratch, { recursive: true, force: true })
      this.options.warn(`could not cache ${task.name} (${(error as Error).message}); it will run again next time`)
      return
    }
    this.shared?.upload(now.key, task.name, this.store, duration)
  }

  private state(task: TaskNode, now: Fingerprint, outputs: TaskState['outputs']): TaskState {
    const { key, taken, definition, args, env, inputs } = now
    return { format: STATE_FORMAT, task: task.name, key, taken, definition, args, env, inputs, outputs, outputsTaken: this.now() }
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`
}
