/** What the runner reports; `report/` turns these into text. */

export type TaskStatus = 'ok' | 'failed' | 'skipped' | 'cancelled'

export type Failure =
  | { kind: 'command'; command: string; exitCode: number; signal?: NodeJS.Signals }
  | { kind: 'threw'; error: unknown }
  | { kind: 'timeout'; limit: number }

export type RunEvent =
  | {
      kind: 'task-start'
      task: string
      concurrent: boolean
      interactive: boolean /** No `run` of its own: only deps. */
      pipeline: boolean
    }
  | { kind: 'task-end'; task: string; status: TaskStatus; duration: number; failure?: Failure }
  | { kind: 'command'; task: string; command: string }
  | { kind: 'output'; task: string; stream: 'stdout' | 'stderr'; data: string | Uint8Array }
  | { kind: 'output-end'; task: string }

export interface TaskRecord {
  name: string
  status: TaskStatus
  /** Wall-clock start (ms since the epoch). */
  start?: number
  /** Start on the run's clock, for durations. */
  started?: number
  duration: number
  exitCode?: number
}

/** The exit code a failure gives `run`. */
export function failureExitCode(failure: Failure): number {
  if (failure.kind === 'command') return failure.exitCode || 1
  if (failure.kind === 'timeout') return 124
  return 1
}
