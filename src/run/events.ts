/** What the runner reports; `report/` turns these into text. */

export type TaskStatus = 'ok' | 'failed' | 'skipped' | 'cancelled'

export type Failure = { kind: 'command'; command: string; exitCode: number; signal?: NodeJS.Signals } | { kind: 'threw'; error: unknown }

export type RunEvent =
  | { kind: 'task-start'; task: string; concurrent: boolean }
  | { kind: 'task-end'; task: string; status: TaskStatus; duration: number; failure?: Failure }
  | { kind: 'command'; task: string; command: string }
  | { kind: 'output'; task: string; stream: 'stdout' | 'stderr'; data: string | Uint8Array }
  | { kind: 'output-end'; task: string }

export interface TaskRecord {
  name: string
  status: TaskStatus
  start?: number
  duration: number
  exitCode?: number
}
