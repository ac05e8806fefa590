/**
 * Executes a plan: deps in the order written, `parallel()` members together,
 * at most `jobs` tasks at once, each task at most once. The first failure
 * stops the run: no new task starts and running commands are stopped.
 */
import { runInScope, type ShellOptions } from '../api/context.js'
import type { Step, TaskNode } from '../plan/graph.js'
import type { Plan } from '../plan/plan.js'
import type { Failure, RunEvent, TaskRecord } from './events.js'
import { ProcessGroups } from './processes.js'
import { Slots } from './slots.js'

export interface RunnerOptions {
  jobs: number
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
  /** The first failure, which decides the exit code. */
  failure?: { task: string; failure: Failure }
  /** Set when the run was stopped by a signal. */
  signal?: NodeJS.Signals
}

class Cancelled extends Error {}

export class Runner {
  private readonly memo = new Map<TaskNode, Promise<void>>()
  private readonly records = new Map<string, TaskRecord>()
  private readonly slots: Slots
  private readonly groups = new ProcessGroups()
  private readonly abort = new AbortController()
  private readonly running = new Set<Promise<unknown>>()
  private firstFailure: RunResult['failure']
  private stopSignal: NodeJS.Signals | undefined
  private stopping: Promise<void> | undefined

  constructor(private readonly options: RunnerOptions) {
    this.slots = new Slots(Math.max(1, options.jobs))
  }

  async run(plan: Plan): Promise<RunResult> {
    for (const node of plan.order) this.records.set(node.name, { name: node.name, status: 'skipped', duration: 0 })
    try {
      await this.visit(plan.target, false, plan.target)
    } catch {
      // recorded in firstFailure or a cancellation
    }
    await Promise.allSettled([...this.running])
    await this.stopping
    return {
      records: plan.order.map((n) => this.records.get(n.name)!),
      failure: this.firstFailure,
      signal: this.stopSignal,
    }
  }

  /** Stop the run from outside (Ctrl-C, SIGTERM). A second call kills at once. */
  interrupt(signal: NodeJS.Signals): void {
    if (this.stopSignal) {
      this.groups.kill()
      return
    }
    this.stopSignal = signal
    this.stopAll(signal)
  }

  private stopAll(signal: NodeJS.Signals): void {
    if (this.abort.signal.aborted) return
    this.abort.abort()
    this.stopping = this.groups.stop(signal, this.options.graceMs ?? 3000)
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
    const parallel = this.options.jobs > 1 && step.members.length > 1
    await Promise.all(step.members.map((member) => this.step(member, concurrent || parallel, target)))
  }

  private async execute(node: TaskNode, concurrent: boolean, target: TaskNode): Promise<void> {
    for (const dep of node.deps) await this.step(dep, concurrent, target)
    if (this.abort.signal.aborted) throw new Cancelled()
    await this.slots.acquire()
    const record = this.records.get(node.name)!
    const { emit, now } = this.options
    const started = now()
    try {
      if (this.abort.signal.aborted) throw new Cancelled()
      record.start = Date.now()
      emit({ kind: 'task-start', task: node.name, concurrent })
      const failed: FailedCommand = {}
      const scope = { shell: this.shellFor(node, failed) }
      try {
        await runInScope(scope, async () =>
          node.run?.({ args: node === target ? [...this.options.args] : [], name: node.name, signal: this.abort.signal }),
        )
        record.status = 'ok'
      } catch (error) {
        const failure = classify(error, failed)
        const byUs = this.abort.signal.aborted && failure.kind === 'command' && failure.signal !== undefined
        record.status = byUs ? 'cancelled' : 'failed'
        if (failure.kind === 'command') record.exitCode = failure.exitCode
        record.duration = now() - started
        emit({ kind: 'output-end', task: node.name })
        emit({ kind: 'task-end', task: node.name, status: record.status, duration: record.duration, failure: byUs ? undefined : failure })
        if (!byUs && !this.firstFailure && !this.stopSignal) {
          this.firstFailure = { task: node.name, failure }
          this.stopAll('SIGTERM')
        }
        throw byUs ? new Cancelled() : error
      }
      record.duration = now() - started
      record.exitCode = 0
      emit({ kind: 'output-end', task: node.name })
      emit({ kind: 'task-end', task: node.name, status: 'ok', duration: record.duration })
    } finally {
      this.slots.release()
    }
  }

  /** zx options for one task's commands: project root, merged env, output to the reporter, own process group. */
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
          if (entry.verbose) emit({ kind: 'output', task: node.name, stream: entry.kind, data: entry.data })
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
      spawn: this.groups.spawn,
      log,
    }
  }
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
