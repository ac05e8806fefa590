/**
 * One error type for everything the user can get wrong or that fails in a
 * task. Errors are data; `report/render-error.ts` is the only place that
 * turns them into text.
 */

export interface SourceLocation {
  file: string
  line: number
  column: number
  /** The source line, for a code frame. */
  lineText?: string
}

export const ExitCode = {
  ok: 0,
  taskFailed: 1,
  usage: 2,
  timeout: 124,
  sighup: 129,
  sigpipe: 141,
  sigint: 130,
  sigterm: 143,
} as const

export type ErrorKind =
  | 'usage'
  | 'no-tasks-file'
  | 'compile'
  | 'load'
  | 'unknown-task'
  | 'unknown-dependency'
  | 'duplicate-task'
  | 'cycle'
  | 'missing-env'
  | 'env-file'
  | 'confirm'
  | 'declined'
  | 'command-failed'
  | 'task-threw'
  | 'interrupted'
  /** `run --init --from FILE`: a file that cannot be converted. */
  | 'convert'

export interface ErrorDetails {
  exitCode: number
  hint?: string
  location?: SourceLocation
  task?: string
  /** For a task that threw: the original error, for a stack when it is our bug. */
  cause?: unknown
}

export class RuntsError extends Error {
  readonly kind: ErrorKind
  readonly exitCode: number
  readonly hint?: string
  readonly location?: SourceLocation
  readonly task?: string

  constructor(kind: ErrorKind, message: string, details: ErrorDetails) {
    super(message, { cause: details.cause })
    this.name = 'RuntsError'
    this.kind = kind
    this.exitCode = details.exitCode
    this.hint = details.hint
    this.location = details.location
    this.task = details.task
  }
}

export function isRuntsError(value: unknown): value is RuntsError {
  return value instanceof RuntsError
}
