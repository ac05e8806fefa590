/**
 * Executes a plan: deps in the order written, `parallel()` members together,
 * at most `jobs` tasks at once (a task waiting on its deps holds no slot),
 * each task at most once: concurrent waiters share one promise, failure
 * included. By default the first failure stops the run: no new task starts
 * and running commands are stopped. With `keepGoing`, independent branches
 * finish and every failure is reported. Before a task is performed, the gate
 * (the cache) decides whether it runs. Time and processes are injected.
 */
import { runInScope } from '../api/context.js'
import type { Step, TaskNode } from '../plan/graph.js'
import type { Plan } from '../plan/plan.js'
import { classify, type FailedCommand } from './classify.js'
import { type Clock, systemClock } from './clock.js'
import type { Failure, RunEvent, TaskRecord, TaskStatus } from './events.js'
import { failureExitCode } from './failure.js'
import { alwaysRun, type Gate, type OutputChunk } from './gate.js'
import { type Processes, ProcessGroups } from './processes.js'
import { type CommandLog, shellOptions } from './shell-options.js'
import { Slots } from './slots.js'

export interface RunnerOptions {
  jobs: number
  keepGoing: boolean
  /** Print each command before it runs. */
  trace: boolean
  /** Arguments for the target task. */
  args: string[]
  root: string
  env: Record<string, string>
  emit: (event: RunEvent) => void
  clock?: Clock
  processes?: Processes
  gate?: Gate
  /** How long a stopped command may take to exit before SIGKILL. */
  graceMs?: number
}

export interface RunResult {
  records: TaskRecord[]
  /** Every failure, first first: the first decides the exit code. */
  failures: Array<{ task: string; failure: Failure; error: unknown }>
  /** Set when the run was stopped by a signal. */
  signal?: NodeJS.Signals
}

/** A task that did not run to its end because the run was stopped. */
class Cancelled extends Error {}

class TimedOut extends Error {
  constructor(readonly limit: number) {
    super(`timed out after ${limit} ms`)
  }
}

const DEFAULT_GRACE_MS = 3000
/** After a stop, how long to wait for tasks' own JavaScript once their commands are gone. */
const ABANDON_MS = 500

export class Runner {
  private readonly memo = new Map<TaskNode, Promise<void>>()
  private readonly records = new Map<string, TaskRecord>()
  private readonly slots: Slots
  private readonly clock: Clock
  private readonly processes: Processes
  private readonly gate: Gate
  private readonly abort = new AbortController()
  private readonly running = new Set<Promise<unknown>>()
  private readonly failures: RunResult['failures'] = []
  private readonly stopping: Promise<void>[] = []
  /** Output kept for the gate, by task, while a cacheable task runs. */
  private readonly recorded = new Map<string, OutputChunk[]>()
  private stopSignal: NodeJS.Signals | undefined
  /** Resolves some time after a stop, when waiting for tasks' own JavaScript ends. */
  private readonly abandoned = resolvable()

  constructor(private readonly options: RunnerOptions) {
    this.slots = new Slots(Math.max(1, options.jobs))
    this.clock = options.clock ?? systemClock
    this.processes = options.processes ?? new ProcessGroups()
    this.gate = options.gate ?? alwaysRun
  }

  private get grace(): number {
    return this.options.graceMs ?? DEFAULT_GRACE_MS
  }

  /** The task asked for. */
  private target = ''
  /** The tasks that get the command line's arguments (the target, and its `argsTo`). */
  private takesArgs: ReadonlySet<TaskNode> = new Set()

  async run(plan: Plan): Promise<RunResult> {
    this.target = plan.target.name
    this.takesArgs = plan.takesArgs
    for (const node of plan.order) this.records.set(node.name, { name: node.name, status: 'skipped', duration: 0 })
    const started = new Map<string, number>()
    this.taskStarted = (name) => started.set(name, this.clock.now())
    // Failures are recorded as they happen; the target's own rejection says nothing more, unless it is our own bug.
    let bug: { error: unknown } | undefined
    this.visit(plan.target, false, plan.target).catch((error) => {
      if (!(error instanceof Cancelled) && !this.failures.some((f) => f.error === error)) bug = { error }
    })
    // Wait for every task started (with --keep-going, or while stopping, other branches may still run);
    // once stopped, a task whose own JavaScript ignores its signal is given up on after a grace.
    await Promise.race([this.settled(), this.abandoned.promise])
    await Promise.all(this.stopping)
    await this.processes.close()
    if (bug) throw bug.error
    for (const record of this.records.values()) {
      if (started.has(record.name) && record.status === 'skipped') {
        record.status = 'cancelled'
        record.duration = this.clock.now() - started.get(record.name)!
      }
    }
    return { records: plan.order.map((n) => this.records.get(n.name)!), failures: this.failures, signal: this.stopSignal }
  }

  /** Stop the run from outside (Ctrl-C, SIGTERM). A second call kills at once. */
  interrupt(signal: NodeJS.Signals): void {
    if (this.stopSignal) {
      this.processes.kill()
      this.abandoned.resolve()
      return
    }
    this.stopSignal = signal
    this.stopAll(signal)
  }

  /** Running tasks that can still be failed from outside their promise. */
  private readonly crashes = new Map<string, (error: unknown) => void>()

  /**
   * A task's JavaScript called process.exit() or threw where nothing caught it (a callback, a
   * rejected promise nobody awaited): that task fails. When it is not known which task, and more
   * than one runs, they all stop and the first running one is named.
   */
  crash(task: string | undefined, error: unknown): boolean {
    const running = [...this.crashes.keys()]
    const name = task !== undefined && this.crashes.has(task) ? task : running[0]
    if (name === undefined) return false
    this.crashes.get(name)!(error)
    return true
  }

  /** Nothing is left that could settle the tasks still running (their promises never settle): they fail. */
  idle(): void {
    for (const reject of this.crashes.values()) {
      reject(new Error('its promise never settled, and nothing was left running that could settle it (a promise that is never resolved?)'))
    }
  }

  /** Where output goes is behind: stop reading the commands' output until it has caught up. */
  backpressure(drained: (then: () => void) => void): void {
    if (this.pausedOutput) return
    this.pausedOutput = true
    this.processes.pauseOutput()
    drained(() => {
      this.pausedOutput = false
      this.processes.resumeOutput()
    })
  }

  private pausedOutput = false

  /** Output a task's own JavaScript printed (console.log), laid out and kept like its commands' output. */
  output(task: string, stream: 'stdout' | 'stderr', data: string | Uint8Array): void {
    this.recorded.get(task)?.push({ stream, data: typeof data === 'string' ? Buffer.from(data, 'utf8') : Uint8Array.from(data) })
    this.options.emit({ kind: 'output', task, stream, data })
  }

  private taskStarted: (name: string) => void = () => {}

  private async settled(): Promise<void> {
    while (true) {
      const pending = [...this.running]
      await Promise.allSettled(pending)
      if (pending.length === this.running.size) return
    }
  }

  private stopAll(signal: NodeJS.Signals): void {
    if (this.abort.signal.aborted) return
    this.abort.abort()
    const stopped = this.processes.stop(signal, this.grace)
    this.stopping.push(stopped)
    void stopped.then(() => this.clock.timer(ABANDON_MS, () => this.abandoned.resolve()))
  }

  private visit(node: TaskNode, concurrent: boolean, target: TaskNode): Promise<void> {
    let promise = this.memo.get(node)
    if (!promise) {
      promise = this.execute(node, concurrent, target)
      this.memo.set(node, promise)
      this.running.add(promise)
    }
    return promise
  }

  private async step(step: Step, concurrent: boolean, target: TaskNode): Promise<void> {
    if (step.kind === 'task') return this.visit(step.task, concurrent, target)
    const together = this.options.jobs > 1 && step.members.length > 1
    const members = step.members.map((member) => this.step(member, concurrent || together, target))
    // Every member gets its chance (with --keep-going); the group fails with its first failure.
    const settled = await Promise.allSettled(members)
    const failed = settled.find((s) => s.status === 'rejected')
    if (failed) throw failed.reason
  }

  private async execute(node: TaskNode, concurrent: boolean, target: TaskNode): Promise<void> {
    // Yield before descending: a chain of 10,000 tasks would otherwise recurse 10,000 calls deep at once.
    await undefined
    for (const dep of node.deps) await this.step(dep, concurrent, target)
    if (this.abort.signal.aborted) throw new Cancelled()
    const slots = node.interactive ? this.slots.size : 1
    await this.slots.acquire(slots)
    try {
      if (this.abort.signal.aborted) throw new Cancelled()
      await this.perform(node, concurrent, this.takesArgs.has(node) ? this.options.args : [])
    } finally {
      this.slots.release(slots)
    }
  }

  /** One task: asks the gate, runs its own work with its timeout, and records how it ended. */
  private async perform(node: TaskNode, concurrent: boolean, args: string[]): Promise<void> {
    const { emit } = this.options
    const record = this.records.get(node.name)!
    const started = this.clock.now()
    const end = (status: TaskStatus, failure?: Failure) => {
      record.status = status
      record.duration = this.clock.now() - started
      emit({ kind: 'output-end', task: node.name })
      emit({ kind: 'task-end', task: node.name, status, duration: record.duration, failure })
    }
    const start = (replay?: 'up-to-date' | 'restored') => {
      record.startedAt = this.clock.wall()
      this.taskStarted(node.name)
      emit({ kind: 'task-start', task: node.name, concurrent, interactive: node.interactive, pipeline: node.run === undefined, replay })
    }

    const opened = await this.gate.open(node, args)
    if (opened.action === 'skip') {
      start(opened.status)
      for (const chunk of opened.output) emit({ kind: 'output', task: node.name, stream: chunk.stream, data: chunk.data })
      record.exitCode = 0
      end(opened.status)
      return
    }
    start()
    if (opened.record) this.recorded.set(node.name, [])
    const finish = async (ok: boolean) => {
      const output = this.recorded.get(node.name) ?? []
      this.recorded.delete(node.name)
      await opened.finish({ ok, output })
    }
    const failed: FailedCommand = {}
    try {
      await this.work(node, args, failed)
      await this.noneLeft(node)
      // A task that ended well while the run was being stopped (its command exits 0 on SIGINT or SIGTERM)
      // may have stopped half-way: it is cancelled, not ok, and the gate is told it did not succeed, so
      // the cache keeps nothing of it.
      const stopped = this.abort.signal.aborted
      await finish(!stopped)
      if (stopped) {
        end('cancelled')
        throw new Cancelled()
      }
      record.exitCode = 0
      end('ok')
    } catch (error) {
      if (error instanceof Cancelled) throw error
      await finish(false)
      const failure =
        error instanceof TimedOut ? ({ kind: 'timeout', limit: error.limit } as const) : classify(error, failed, this.options.env)
      // A command we stopped because of a failure elsewhere, or a signal, is cancelled, not failed.
      const stoppedByUs =
        this.abort.signal.aborted && (failure.kind === 'threw' || (failure.kind === 'command' && failure.signal !== undefined))
      if (failure.kind !== 'threw') record.exitCode = failureExitCode(failure)
      if (stoppedByUs) {
        end('cancelled')
        throw new Cancelled()
      }
      end('failed', failure)
      this.failures.push({ task: node.name, failure, error })
      if (!this.options.keepGoing) this.stopAll('SIGTERM')
      throw error
    }
  }

  /** A task that ended while a command it started still runs (a `$` not awaited) fails, and the command is stopped. */
  private async noneLeft(node: TaskNode): Promise<void> {
    const left = await this.processes.leftRunning(node.name)
    if (left.length === 0) return
    const stopped = this.processes.stop('SIGTERM', this.grace, node.name)
    this.stopping.push(stopped)
    await stopped
    throw new Error(
      `it ended while ${left.length === 1 ? 'a command it started was' : `${left.length} commands it started were`} still running (${left.map((c) => `\`${c}\``).join(', ')}), so ${left.length === 1 ? 'it was' : 'they were'} stopped: await every $ call`,
    )
  }

  /** The task's `run`, in its own scope (its `$`, its env copy), raced against its timeout. */
  private async work(node: TaskNode, args: string[], failed: FailedCommand): Promise<void> {
    const deadline = new AbortController()
    const signal = AbortSignal.any([this.abort.signal, deadline.signal])
    const log: CommandLog = {
      command: (command) => {
        if (this.options.trace) this.options.emit({ kind: 'command', task: node.name, command })
      },
      output: (stream, data) => this.output(node.name, stream, data),
      failed: (command) => {
        failed.command = command
      },
    }
    const spawn = this.processes.spawnFor(node.name, node.interactive)
    const shell = shellOptions(node, { root: this.options.root, env: this.options.env, spawn, log })
    // What the task's JavaScript does outside its promise (process.exit, an uncaught error) fails it too:
    // ready before the task starts, since its first synchronous line may already do it.
    const crashed = new Promise<never>((_, reject) => this.crashes.set(node.name, reject))
    const own = runInScope({ shell, task: node.name }, async () =>
      node.run?.({ args: [...args], name: node.name, signal, target: this.target }),
    )
    const work = Promise.race([own, crashed]).finally(() => this.crashes.delete(node.name))
    own.catch(() => {}) // settled by the race; a late rejection is expected after a timeout or a crash
    if (node.timeout === undefined) return void (await work)
    let cancel = () => {}
    const timeout = new Promise<never>((_, reject) => {
      cancel = this.clock.timer(node.timeout!, () => {
        deadline.abort()
        this.stopping.push(this.processes.stop('SIGTERM', this.grace, node.name))
        reject(new TimedOut(node.timeout!))
      })
    })
    try {
      await Promise.race([work, timeout])
    } finally {
      cancel()
    }
  }
}

function resolvable(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {}
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return { promise, resolve }
}
