/**
 * The cache, as the runner's gate: before a task with `inputs` is performed
 * (after its deps ran), its fingerprint is taken; a fingerprint seen before
 * skips the task (up to date, or its outputs restored from the local store or
 * the shared cache) and replays what it printed. After a good run, its
 * outputs and output are stored under that fingerprint. A failed, stopped or
 * timed-out run records nothing. The cache never fails a run: when it cannot
 * do its part, it warns and the task runs.
 */
import path from 'node:path'
import type { TaskNode } from '../plan/graph.js'
import type { RunEvent } from '../run/events.js'
import type { Gate, Opened } from '../run/gate.js'
import type { FilesAhead } from './ahead.js'
import { type EntryContext, makeEntry, useEntry } from './entries.js'
import { type Fingerprint, fingerprint } from './fingerprint.js'
import { type JudgeContext, type Judgement, type JudgeOptions, judge } from './judge.js'
import { OutputRecording } from './recording.js'
import { remoteConfig } from './remote-config.js'
import { type MaskBytes, secretsMask } from './replay.js'
import { SharedCache } from './shared-cache.js'
import { LocalStore } from './store.js'
import { type TaskState, TaskStates } from './task-state.js'

/** How a run uses the cache. */
export interface CacheOptions {
  /** The project root: globs and outputs are relative to it. */
  root: string
  /** The environment after `.env` loading: the tasks' `env` values and the `RUNTS_REMOTE_CACHE_*` settings. */
  env: Readonly<Record<string, string | undefined>>
  /** What the user should know: the shared cache failing (once per run), outputs too large to keep, inputs that cannot be read. */
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

export type { Judgement, JudgeOptions } from './judge.js'

const RUN_ANYWAY: Opened = { action: 'run', record: false, finish: async () => {} }

/** The runner's gate, with the local store and (when set up) the shared cache behind it. */
export class Cache implements Gate {
  private readonly root: string
  private readonly states: TaskStates
  private readonly store: LocalStore
  private readonly shared: SharedCache | undefined
  private readonly now: () => number
  private readonly entries: EntryContext
  private readonly recordings = new Map<string, OutputRecording>()

  constructor(private readonly options: CacheOptions) {
    this.root = path.resolve(options.root)
    const dir = options.dir ?? path.join(this.root, 'node_modules', '.cache', 'runts', 'tasks')
    this.states = new TaskStates(dir)
    this.store = new LocalStore(dir, options.maxBytes ?? 1024 ** 3)
    this.now = options.now ?? Date.now
    const remote = remoteConfig(options.env, options.remoteTimeoutMs)
    if (remote && 'problem' in remote) options.warn(remote.problem)
    else if (remote) this.shared = new SharedCache(remote, options.warn)
    const mask = options.mask ?? secretsMask(options.env)
    this.entries = { root: this.root, store: this.store, states: this.states, mask, warn: options.warn, now: this.now }
  }

  async open(task: TaskNode, args: readonly string[]): Promise<Opened> {
    try {
      return await this.decide(task, args)
    } catch (error) {
      // The cache never fails a run: whatever went wrong here, the task runs.
      this.options.warn(`the cache could not check ${task.name} (${(error as Error).message}); it runs`)
      return RUN_ANYWAY
    }
  }

  private async decide(task: TaskNode, args: readonly string[]): Promise<Opened> {
    if (!task.inputs || !task.run) return RUN_ANYWAY
    const previous = this.states.read(task.name)
    const now = this.take(task, args, previous)
    if (!now) return RUN_ANYWAY
    if (!this.options.force) {
      let meta = this.store.read(now.key)
      if (!meta && this.shared && (await this.shared.fetch(now.key, task.name, this.store))) meta = this.store.read(now.key)
      const reused = meta && (await useEntry(this.entries, task, meta, now, previous))
      if (reused) return { action: 'skip', ...reused }
    }
    const started = this.now()
    // What it prints is kept here, bounded, from the run's events (`observe`), not by the runner.
    const recording = new OutputRecording()
    this.recordings.set(task.name, recording)
    return {
      action: 'run',
      record: false,
      finish: async ({ ok, output }) => {
        this.recordings.delete(task.name)
        // A failed, stopped or timed-out run records nothing (the runner says not ok for one that exited 0 on being stopped).
        if (!ok) return
        const duration = this.now() - started
        const kept = [...output, ...recording.chunks()]
        if (await makeEntry(this.entries, task, now, kept, duration)) this.shared?.upload(now.key, task.name, this.store, duration)
      },
    }
  }

  /** `run --why`'s reason for this task: `up to date`, `restores from cache`, or what changed. Nothing runs, nothing is restored. */
  async explain(task: TaskNode, args: readonly string[]): Promise<string> {
    return (await this.judge(task, args)).reason
  }

  /**
   * Whether a run would skip this task, why, and which input files it will find; `options.ahead`: the
   * files its deps restore first. Nothing runs, nothing is restored (`options.fetch` may bring an entry
   * from the shared cache into the local store, as the run would).
   */
  async judge(task: TaskNode, args: readonly string[], options?: JudgeOptions): Promise<Judgement> {
    const ctx: JudgeContext = {
      root: this.root,
      states: this.states,
      store: this.store,
      shared: this.shared,
      force: this.options.force ?? false,
      take: (t, a, previous, ahead) => this.take(t, a, previous, ahead),
    }
    return judge(ctx, task, args, options)
  }

  /** Every event of the run: what a task the cache let run prints is kept for its entry (the first and last 8 MiB). */
  observe(event: RunEvent): void {
    if (event.kind === 'output') this.recordings.get(event.task)?.add(event.stream, event.data)
  }

  /** Waits for uploads to the shared cache still under way (call before exiting). */
  async flush(): Promise<void> {
    await this.shared?.flush()
  }

  private take(task: TaskNode, args: readonly string[], previous: TaskState | undefined, ahead?: FilesAhead): Fingerprint | undefined {
    try {
      return fingerprint(task, args, { root: this.root, env: this.options.env, states: this.states, now: this.now }, previous, ahead)
    } catch (error) {
      this.options.warn(`cannot read the inputs of ${task.name} (${(error as Error).message}); it runs`)
      return undefined
    }
  }
}
