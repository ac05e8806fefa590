/**
 * Executes a plan: deps in the order written, `parallel()` members together,
 * at most `jobs` tasks at once (a task waiting on its deps holds no slot),
 * each task at most once: concurrent waiters share one promise, failure
 * included. By default the first failure stops the run: no new task starts
 * and running commands are stopped. With `keepGoing`, independent branches
 * finish and every failure is reported.
 */
import { runInScope, type ShellOptions } from '../api/context.js'
import type { Step, TaskNode } from '../plan/graph.js'
import type { Plan } from '../plan/plan.js'
import { type Failure, failureExitCode, type RunEvent, type TaskRecord } from './events.js'
import { ProcessGroups } from './processes.js'
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
  now: () => number
  /** How long a stopped command may take to exit before SIGKILL. */
  graceMs?: number
}

export interface RunResult {
  records: TaskRecord[]
  /** Every failure, first first: the first decides the exit code. */
  failures: Array<{ task: string; failure: Failure }>
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

export class Runner {
  private readonly memo = new Map<TaskNode, Promise<void>>()
  private readonly records = new Map<string, TaskRecord>()
  private readonly slots: Slots
  private readonly groups = new ProcessGroups()
  private readonly abort = new AbortController()
  private readonly running = new Set<Promise<unknown>>()
  private readonly failures: RunResult['failures'] = []
  private readonly stopping: Promise<void>[] = []
  private stopSignal: NodeJS.Signals | undefined
  /** Resolves some time after a stop, when waiting for tasks' own JavaScript ends. */
  private readonly abandoned = resolvable()

  constructor(private readonly options: RunnerOptions) {
    this.slots = new Slots(Math.max(1, options.jobs))
  }

  private get grace(): number {
    return this.options.graceMs ?? DEFAULT_GRACE_MS
  }

  async run(plan: Plan): Promise<RunResult> {
    for (const node of plan.order) this.records.set(node.name, { name: node.name, status: 'skipped', duration: 0 })
    // Failures are recorded as they happen; the target's own rejection says nothing more.
    this.visit(plan.target, false, plan.target).catch(() => {})
    // Wait for every task started (with --keep-going, or while stopping, other branches may still run);
    // once stopped, a task whose own JavaScript ignores its signal is given up on after the grace.
    const everything = (async () => {
      while (true) {
        const pending = [...this.running]
        await Promise.allSettled(pending)
        if (pending.length === this.running.size) return
      }
    })()
    await Promise.race([everything, this.abandoned.promise])
    await Promise.all(this.stopping)
    for (const record of this.records.values()) {
      if (record.start !== undefined && record.status === 'skipped') {
        record.status = 'cancelled'
        record.duration = this.options.now() - record.started!
      }
    }
    return { records: plan.order.map((n) => this.records.get(n.name)!), failures: this.failures, signal: this.stopSignal }
  }

  /** Stop the run from outside (Ctrl-C, SIGTERM). A second call kills at once. */
  interrupt(signal: NodeJS.Signals): void {
    if (this.stopSignal) {
      this.groups.kill()
      this.abandoned.resolve()
      return
    }
    this.stopSignal = signal
    this.stopAll(signal)
  }

  private stopAll(signal: NodeJS.Signals): void {
    if (this.abort.signal.aborted) return
    this.abort.abort()
    const stopped = this.groups.stop(signal, this.grace)
    this.stopping.push(stopped)
    void stopped.then(() => setTimeout(() => this.abandoned.resolve(), 500).unref())
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
    for (const dep of node.deps) await this.step(dep, concurrent, target)
    if (this.abort.signal.aborted) throw new Cancelled()
    const slots = node.interactive ? this.slots.size : 1
    await this.slots.acquire(slots)
    try {
      if (this.abort.signal.aborted) throw new Cancelled()
      await this.perform(node, concurrent, target)
    } finally {
      this.slots.release(slots)
    }
  }

  /** Run one task's own work, with its timeout, and record how it ended. */
  private async perform(node: TaskNode, concurrent: boolean, target: TaskNode): Promise<void> {
    const { emit, now } = this.options
    const record = this.records.get(node.name)!
    const started = now()
    record.start = Date.now()
    record.started = started
    emit({ kind: 'task-start', task: node.name, concurrent, interactive: node.interactive, pipeline: node.run === undefined })

    const failed: FailedCommand = {}
    const deadline = new AbortController()
    const signal = AbortSignal.any([this.abort.signal, deadline.signal])
    const work = runInScope({ shell: this.shellFor(node, failed), task: node.name }, async () =>
      node.run?.({ args: node === target ? [...this.options.args] : [], name: node.name, signal }),
    )
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      if (node.timeout === undefined) return
      timer = setTimeout(() => {
        deadline.abort()
        this.stopping.push(this.groups.stop('SIGTERM', this.grace, node.name))
        reject(new TimedOut(node.timeout!))
      }, node.timeout)
    })
    work.catch(() => {}) // settled by the race below; a late rejection is expected after a timeout

    const end = (status: TaskRecord['status'], failure?: Failure) => {
      record.status = status
      record.duration = now() - started
      emit({ kind: 'output-end', task: node.name })
      emit({ kind: 'task-end', task: node.name, status, duration: record.duration, failure })
    }
    try {
      await Promise.race([work, timeout])
      record.exitCode = 0
      end('ok')
    } catch (error) {
      const failure = error instanceof TimedOut ? ({ kind: 'timeout', limit: error.limit } as const) : classify(error, failed)
      // A command we stopped because of a failure elsewhere, or a signal, is cancelled, not failed.
      const stoppedByUs =
        this.abort.signal.aborted && failure.kind !== 'timeout' && (failure.kind === 'threw' || failure.signal !== undefined)
      if (failure.kind !== 'threw') record.exitCode = failureExitCode(failure)
      if (stoppedByUs) {
        end('cancelled')
        throw new Cancelled()
      }
      end('failed', failure)
      this.failures.push({ task: node.name, failure })
      if (!this.options.keepGoing) this.stopAll('SIGTERM')
      throw error
    } finally {
      clearTimeout(timer)
    }
  }

  /** zx options for one task's commands: project root, its own env copy, output to the reporter, own process group. */
  private shellFor(node: TaskNode, failed: FailedCommand): ShellOptions {
    const commands = new Map<string, string>()
    const { emit, trace } = this.options
    const log = ((entry) => {
      switch (entry.kind) {
        case 'cmd':
          commands.set(entry.id, entry.cmd)
          if (trace) emit({ kind: 'command', task: node.name, command: entry.cmd })
          break
        case 'stdout':
        case 'stderr':
          // After its end, zx adds a newline to output that lacks one: not the command's bytes.
          if (entry.verbose && commands.has(entry.id)) emit({ kind: 'output', task: node.name, stream: entry.kind, data: entry.data })
          break
        case 'end':
          if (entry.exitCode !== 0) failed.command = commands.get(entry.id)
          commands.delete(entry.id)
          break
      }
    }) as NonNullable<ShellOptions['log']>
    return {
      cwd: this.options.root,
      env: { ...this.options.env },
      verbose: true,
      quiet: false,
      nothrow: false,
      // Like npm scripts: the project's node_modules/.bin comes first on PATH.
      preferLocal: true,
      spawn: this.groups.spawnFor(node.name, node.interactive),
      log,
      ...(node.interactive ? { stdio: 'inherit' as const } : {}),
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

/** The last command of a task that exited non-zero: zx's error does not carry it. */
interface FailedCommand {
  command?: string
}

function classify(error: unknown, failed: FailedCommand): Failure {
  if (isProcessOutput(error)) {
    return {
      kind: 'command',
      command: failed.command ?? '',
      exitCode: error.exitCode ?? signalExitCode(error.signal),
      signal: error.signal ?? undefined,
    }
  }
  return { kind: 'threw', error }
}

function isProcessOutput(error: unknown): error is { exitCode: number | null; signal: NodeJS.Signals | null } {
  return error instanceof Error && Object.prototype.toString.call(error) === '[object ProcessOutput]'
}

const SIGNALS: Partial<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 }

function signalExitCode(signal: NodeJS.Signals | null | undefined): number {
  return 128 + (signal ? (SIGNALS[signal] ?? 0) : 1)
}
