/**
 * One error type for everything the user can get wrong or that fails in a
 * task. Errors are data: a kind, structured fields, an optional hint and
 * source location. The exit code comes from the kind (one table, below);
 * `report/render-error.ts` is the only place that turns errors into text.
 */
import { constants } from 'node:os'

export interface SourceLocation {
  file: string
  line: number
  column: number
  /** The source line, for a code frame (filled in when the error is located, so rendering reads no file). */
  lineText?: string
}

export const ExitCode = {
  ok: 0,
  taskFailed: 1,
  usage: 2,
  timeout: 124,
  /** A command that could not be started, as shells report it. */
  cannotStart: 126,
  sighup: 129,
  sigint: 130,
  sigpipe: 141,
  sigterm: 143,
} as const

/** What went wrong, and so the exit code: 2 for anything found before a task ran. */
const KINDS = {
  // The command line, the tasks file, the plan: nothing ran.
  usage: ExitCode.usage,
  'no-tasks-file': ExitCode.usage,
  compile: ExitCode.usage,
  load: ExitCode.usage,
  'unknown-task': ExitCode.usage,
  'unknown-dependency': ExitCode.usage,
  'duplicate-task': ExitCode.usage,
  cycle: ExitCode.usage,
  'missing-env': ExitCode.usage,
  'env-file': ExitCode.usage,
  confirm: ExitCode.usage,
  /** A `preflight` check failed. */
  preflight: ExitCode.usage,
  // The run.
  declined: ExitCode.taskFailed,
  'task-threw': ExitCode.taskFailed,
  'task-timeout': ExitCode.timeout,
  /** A command exited non-zero: the exit code is the command's own (`code`). */
  'command-failed': ExitCode.taskFailed,
  /** A command that could not be started (not found, not executable), as shells report it. */
  'cannot-start': ExitCode.cannotStart,
  /** A task's JavaScript called process.exit(code): the code is its own (`code`), never 0. */
  'task-exit': ExitCode.taskFailed,
  /** Stopped by a signal: the exit code is the signal's (`code`). */
  interrupted: ExitCode.sigint,
  /** Something runts had to write could not be written (a report, its own output: a full disk). */
  'write-failed': ExitCode.taskFailed,
  /** `run --ci github --check`: the committed workflow is not what the tasks file makes now. */
  'stale-workflow': ExitCode.taskFailed,
  /** `run --ci`: nothing to generate, a name GitHub cannot take. */
  ci: ExitCode.usage,
  /** `run --init --from FILE`: a file that cannot be converted. */
  convert: ExitCode.usage,
} as const satisfies Record<string, number>

export type ErrorKind = keyof typeof KINDS

export interface ErrorDetails {
  hint?: string
  location?: SourceLocation
  task?: string
  /** For a failed command: the command line (masked when printed). */
  command?: string
  /** The exit code, for the kinds whose code is not fixed: a failed command's own, a signal's. */
  code?: number
  /** The original error: for a stack when it is our bug. */
  cause?: unknown
}

/** Marks a RuntsError across copies of this module (the CLI's rarely used commands are bundles of their own). */
const BRAND = Symbol.for('runts.error')

export class RuntsError extends Error {
  readonly [BRAND] = true
  readonly kind: ErrorKind
  readonly hint?: string
  readonly location?: SourceLocation
  readonly task?: string
  readonly command?: string
  private readonly code?: number

  constructor(kind: ErrorKind, message: string, details: ErrorDetails = {}) {
    super(message, { cause: details.cause })
    this.name = 'RuntsError'
    this.kind = kind
    this.hint = details.hint
    this.location = details.location
    this.task = details.task
    this.command = details.command
    this.code = details.code
  }

  get exitCode(): number {
    return exitCodeFor(this.kind, this.code)
  }
}

/**
 * The exit code of an error of `kind`: its own `code` when the kind has one (a failed command's, a
 * signal's, a task's process.exit), else the kind's. Never 0 for an error: a command that failed with
 * 0 (stopped, and its shell said 0) fails with the kind's code.
 */
export function exitCodeFor(kind: ErrorKind, code?: number): number {
  return code || KINDS[kind]
}

/** How a run ended, for its exit code. */
export interface RunEnd {
  /** The signal that stopped it, if one did (SIGPIPE: the reader of its output went away). */
  signal?: NodeJS.Signals | undefined
  /** What failed, first first: its tasks, a task's JavaScript after its task ended, what runts could not write. */
  errors: readonly unknown[]
}

/** The one decision of a run's exit code: the stopping signal's, else its first error's, else 0. */
export function runExitCode(end: RunEnd): number {
  if (end.signal) return signalExitCode(end.signal)
  return end.errors.length > 0 ? exitCodeOf(end.errors[0]) : ExitCode.ok
}

/**
 * The exit code once runts' own output could not be written (stdout or stderr: a full disk): an error,
 * even when the run went well or stopped because the reader went away; a run's own failure code stays.
 */
export function exitCodeAfterOutputFailed(code: number): number {
  return code === ExitCode.ok || code === signalExitCode('SIGPIPE') ? KINDS['write-failed'] : code
}

export function isRuntsError(value: unknown): value is RuntsError {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true
}

/** The exit code for any error: a RuntsError's, else 1 (our own bug, shown with its stack). */
export function exitCodeOf(error: unknown): number {
  return isRuntsError(error) ? error.exitCode : ExitCode.taskFailed
}

/** 128 + the signal's number, as shells report a process a signal ended (SIGINT 130, SIGTERM 143). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? constants.signals.SIGTERM)
}
