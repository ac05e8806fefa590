/**
 * The cache, as the runner's gate: before a task with `inputs` is performed
 * (after its deps ran), it asks `verdict` (verdict.ts) and does what it says:
 * skip an up-to-date task, restore one whose entry differs from the disk, or
 * run it. What a task it let run prints is kept (bounded, masked); after a
 * good run whose inputs did not change meanwhile, its outputs and output are
 * stored under its fingerprint, and sent to the shared cache. A failed,
 * stopped or timed-out run records nothing. The cache never fails a run: when
 * it cannot do its part, it warns and the task runs.
 */
import path from 'node:path'
import type { Masker } from '../env/mask.js'
import type { TaskNode } from '../plan/graph.js'
import type { RunEvent } from '../run/events.js'
import type { Gate, Opened } from '../run/gate.js'
import type { FilesAhead } from './ahead.js'
import type { OutputStat } from './fingerprint/file-stat.js'
import { type Fingerprint, fingerprint } from './fingerprint/fingerprint.js'
import { changedSince } from './fingerprint/stat-inputs.js'
import { STATE_FORMAT, type TaskState, TaskStates } from './fingerprint/task-state.js'
import type { InputSet } from './inputs/input-set.js'
import { inputSetOf, outputSetOf } from './inputs/task-sets.js'
import { type RemoteConfig, remoteConfig } from './remote-config.js'
import type { SharedCache } from './shared/shared-cache.js'
import { Sharing } from './sharing.js'
import { restoreOutputs } from './store/copies.js'
import { makeEntry } from './store/entries.js'
import { OUTPUTS_DIR } from './store/entry-format.js'
import { LocalStore } from './store/local-store.js'
import { statOutputs } from './store/outputs.js'
import { OutputRecording } from './store/recording.js'
import { secretsMasker } from './store/replay.js'
import { lockTask } from './store/task-lock.js'
import { type Verdict, type VerdictContext, type VerdictOptions, verdict } from './verdict.js'

/** How a run uses the cache. */
export interface CacheOptions {
  /** The project root: globs and outputs are relative to it. */
  root: string
  /** The environment after `.env` loading: the tasks' `env` values and the `RUNTS_REMOTE_CACHE_*` settings. */
  env: Readonly<Record<string, string | undefined>>
  /** What the user should know: the shared cache failing (once per run), outputs too large to keep, inputs that cannot be read. */
  warn: (message: string) => void
  /** Masks what a task printed before it is stored, as bytes (latin1 text): the run's `masker.byteMasker()`. */
  masker?: Masker
  /** The values the run masks (the run's `masker.secrets`): a variable or an arg holding one is secret. */
  secrets?: readonly string[]
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

export type { Verdict, VerdictOptions } from './verdict.js'

const RUN_ANYWAY: Opened = { action: 'run', record: false, finish: async () => {} }

/** The runner's gate, with the local store and (when set up) the shared cache behind it. */
export class Cache implements Gate {
  private readonly root: string
  private readonly dir: string
  private readonly states: TaskStates
  private readonly store: LocalStore
  /** The shared cache, when one is set up: loaded on first use (an up-to-date check needs none of it). */
  private readonly remote: RemoteConfig | undefined
  private sharedCache: Promise<SharedCache> | undefined
  private readonly sharing: Sharing
  private readonly masker: Masker
  private readonly now: () => number
  private readonly context: VerdictContext
  private readonly recordings = new Map<string, OutputRecording>()

  constructor(private readonly options: CacheOptions) {
    this.root = path.resolve(options.root)
    const dir = options.dir ?? path.join(this.root, 'node_modules', '.cache', 'runts', 'tasks')
    this.dir = dir
    this.states = new TaskStates(dir)
    this.store = new LocalStore(dir, options.maxBytes ?? 1024 ** 3)
    this.now = options.now ?? Date.now
    const remote = remoteConfig(options.env, options.remoteTimeoutMs)
    if (remote && 'problem' in remote) options.warn(remote.problem)
    else this.remote = remote
    this.masker = options.masker ?? secretsMasker(options.env)
    this.sharing = new Sharing({
      signatureKey: this.remote?.signatureKey,
      salt: () => this.states.salt(),
      secretValues: options.secrets ?? [],
      remote: this.remote !== undefined,
      warn: options.warn,
    })
    this.context = {
      root: this.root,
      states: this.states,
      store: this.store,
      fetch: this.remote && (async (key, task) => (await this.shared()).fetch(key, task, this.store)),
      force: options.force ?? false,
      take: (task, args, set, previous, ahead) => this.take(task, args, set, previous, ahead),
      shareable: (task, fp) => this.sharing.shareable(task, fp),
    }
  }

  /** What a run does with this task now (`options.ahead`, for `run --why`: the files its deps restore first). Changes no file of the project. */
  verdict(task: TaskNode, args: readonly string[], options?: VerdictOptions): Promise<Verdict> {
    return verdict(this.context, task, args, options)
  }

  async open(task: TaskNode, args: readonly string[]): Promise<Opened> {
    // Another run of this task in this project (another terminal): this one waits for it, then decides.
    const release = task.inputs && task.run ? await this.lock(task) : () => {}
    let opened: Opened
    try {
      opened = await this.decide(task, args)
    } catch (error) {
      release()
      throw error
    }
    if (opened.action !== 'run') {
      release()
      return opened
    }
    const { finish } = opened
    return {
      ...opened,
      finish: async (result) => {
        try {
          await finish(result)
        } finally {
          release()
        }
      },
    }
  }

  /** The task's lock (task-lock.ts); when it cannot be had (a folder that cannot be written), none. */
  private async lock(task: TaskNode): Promise<() => void> {
    try {
      return await lockTask(this.dir, task.name, (holder) =>
        this.options.warn(`another run of runts in this project (pid ${holder}) is running ${task.name}: waiting for it to end`),
      )
    } catch {
      return () => {}
    }
  }

  private async decide(task: TaskNode, args: readonly string[]): Promise<Opened> {
    let decided: Verdict
    try {
      decided = await this.verdict(task, args)
    } catch (error) {
      // The cache never fails a run: whatever went wrong here, the task runs.
      this.options.warn(`the cache could not check ${task.name} (${(error as Error).message}); it runs`)
      return RUN_ANYWAY
    }
    if (decided.action === 'skip') {
      const skipped = this.skip(task, decided)
      if (skipped) return skipped
    } else if (decided.unusable && decided.fingerprint) {
      this.store.remove(decided.fingerprint.key)
      this.options.warn(`${task.name}'s cache entry cannot be used (${decided.unusable}); it runs`)
    }
    return decided.fingerprint ? this.run(task, decided.fingerprint) : RUN_ANYWAY
  }

  /** Skips the task as the verdict says (restoring first when it says so); undefined when the restore failed (the task runs). */
  private skip(task: TaskNode, decided: Extract<Verdict, { action: 'skip' }>): Opened | undefined {
    const { entry, fingerprint: now, previous } = decided
    let stats = decided.stats
    if (decided.status === 'restored') {
      try {
        restoreOutputs(path.join(this.store.dir(now.key), OUTPUTS_DIR), this.root, decided.restores)
        stats = statOutputs(this.root, entry.meta.outputs)
      } catch (error) {
        this.store.remove(now.key)
        this.options.warn(`could not restore ${task.name} (${(error as Error).message}); it runs`)
        return undefined
      }
    }
    if (previous?.key !== now.key || now.read > 0 || decided.read > 0 || decided.status === 'restored') {
      this.states.write(this.stateOf(task, now, stats))
    }
    this.store.touch(now.key)
    return { action: 'skip', status: decided.status, output: entry.output }
  }

  /** Runs the task, keeping what it prints; records it after a good run whose inputs held still. */
  private run(task: TaskNode, now: Fingerprint): Opened {
    const started = this.now()
    // What it prints is kept here, bounded and masked, from the run's events (`observe`), not by the runner.
    const recording = new OutputRecording(this.masker)
    this.recordings.set(task.name, recording)
    return {
      action: 'run',
      record: false,
      finish: async ({ ok, output }) => {
        this.recordings.delete(task.name)
        // A failed, stopped or timed-out run records nothing (the runner says not ok for one that exited 0 on being stopped).
        if (!ok) return
        const duration = this.now() - started
        let changed: string | undefined
        try {
          changed = changedSince(this.root, inputSetOf(task), now.inputs, now.taken)
        } catch (error) {
          changed = `its inputs (${(error as Error).message})`
        }
        if (changed) {
          this.options.warn(`${changed} changed while ${task.name} ran, so nothing was recorded: it runs again next time`)
          return
        }
        const kept = [...output, ...recording.chunks()]
        const ctx = { root: this.root, store: this.store, mask: (text: string) => this.masker.mask(text), warn: this.options.warn }
        const stats = makeEntry(ctx, { name: task.name, outputs: outputSetOf(task) }, now.key, kept, duration)
        if (!stats) return
        this.states.write(this.stateOf(task, now, stats))
        if (this.remote && this.sharing.shareable(task, now)) (await this.shared()).upload(now.key, task.name, this.store, duration)
      },
    }
  }

  /** Every event of the run: what a task the cache let run prints is kept for its entry (the first and last 8 MiB). */
  observe(event: RunEvent): void {
    if (event.kind === 'output') this.recordings.get(event.task)?.add(event.stream, event.data)
  }

  /** Waits for uploads to the shared cache still under way (call before exiting). */
  async flush(): Promise<void> {
    if (this.sharedCache) await (await this.sharedCache).flush()
  }

  private shared(): Promise<SharedCache> {
    const remote = this.remote!
    this.sharedCache ??= import('./shared/shared-cache.js').then(({ SharedCache }) => new SharedCache(remote, this.options.warn))
    return this.sharedCache
  }

  private take(
    task: TaskNode,
    args: readonly string[],
    set: InputSet,
    previous: TaskState | undefined,
    ahead?: FilesAhead,
  ): Fingerprint | undefined {
    try {
      const context = {
        root: this.root,
        env: this.options.env,
        digest: (...f: string[]) => this.states.digest(...f),
        secretKeys: this.sharing.keys,
        now: this.now,
      }
      return fingerprint(task, args, set, context, previous, ahead)
    } catch (error) {
      this.options.warn(`cannot read the inputs of ${task.name} (${(error as Error).message}); it runs`)
      return undefined
    }
  }

  private stateOf(task: TaskNode, now: Fingerprint, outputs: OutputStat[]): TaskState {
    const { key, taken, definition, args, env, inputs, inputsHash } = now
    return {
      format: STATE_FORMAT,
      task: task.name,
      key,
      taken,
      definition,
      args,
      env,
      inputs,
      inputsHash,
      outputs,
      outputsTaken: this.now(),
    }
  }
}
