/** What the runner reports; `report/` turns these into text. */

/** How a task ended: `up-to-date` and `restored` are tasks the cache did not need to run. */
export type TaskStatus = 'ok' | 'failed' | 'skipped' | 'cancelled' | 'up-to-date' | 'restored'

export type Failure =
  | { kind: 'command'; command: string; exitCode: number; signal?: NodeJS.Signals }
  | { kind: 'threw'; error: unknown }
  | { kind: 'timeout'; limit: number }
  /** The task's JavaScript called process.exit(code). */
  | { kind: 'exit'; code: number }
  /** A command that could not be started at all (E2BIG, ENOENT, EACCES). */
  | { kind: 'start'; command: string; code: string; hint?: string }

export type RunEvent =
  | {
      kind: 'task-start'
      task: string
      concurrent: boolean
      interactive: boolean
      /** No `run` of its own: only deps. */
      pipeline: boolean
      /** Not run: its output is replayed from the cache. */
      replay?: 'up-to-date' | 'restored'
    }
  | { kind: 'task-end'; task: string; status: TaskStatus; duration: number; failure?: Failure }
  | { kind: 'command'; task: string; command: string }
  | { kind: 'output'; task: string; stream: 'stdout' | 'stderr'; data: string | Uint8Array }
  | { kind: 'output-end'; task: string }

export interface TaskRecord {
  name: string
  status: TaskStatus
  /** When it started, in ms since the epoch (for reports); unset when it never started. */
  startedAt?: number
  duration: number
  exitCode?: number
}
