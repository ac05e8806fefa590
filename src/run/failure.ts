/** A task's failure as an error for people: located in the tasks file's sources before it is rendered. */
import { ExitCode, RuntsError } from '../errors.js'
import { locateIn } from '../load/locate.js'
import { formatDuration } from './duration.js'
import type { Failure } from './events.js'

/** What `process.exit(code)` throws when a task's JavaScript calls it: the task fails, runts goes on to its summary. */
export class TaskExit extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`)
  }
}

export function failureError(task: string, failure: Failure, sources: readonly string[]): RuntsError {
  switch (failure.kind) {
    case 'command': {
      const how = failure.signal ? `was killed by ${failure.signal}` : `exited with code ${failure.exitCode}`
      return new RuntsError('command-failed', `task '${task}' failed: a command ${how}`, {
        task,
        command: failure.command || undefined,
        code: failureExitCode(failure),
      })
    }
    case 'start':
      return new RuntsError('command-failed', `task '${task}' failed: a command could not be started (${failure.code})`, {
        task,
        command: failure.command || undefined,
        hint: failure.hint,
        code: failureExitCode(failure),
      })
    case 'exit':
      return new RuntsError('command-failed', `task '${task}' called process.exit(${failure.code}), which would have ended runts itself`, {
        task,
        hint: 'return from the task (or throw) instead; every other task was stopped',
        code: failureExitCode(failure),
      })
    case 'timeout':
      return new RuntsError(
        'task-timeout',
        `task '${task}' timed out after ${formatDuration(failure.limit)} (its timeout) and was stopped`,
        {
          task,
        },
      )
    case 'threw': {
      const { error } = failure
      const message = error instanceof Error ? error.message : String(error)
      return new RuntsError('task-threw', `task '${task}' threw: ${message}`, { task, location: locateIn(error, sources), cause: error })
    }
  }
}

/** The exit code a failure gives `run`: a failed command's own code (never 0). */
export function failureExitCode(failure: Failure): number {
  if (failure.kind === 'command') return failure.exitCode || ExitCode.taskFailed
  if (failure.kind === 'timeout') return ExitCode.timeout
  if (failure.kind === 'start') return ExitCode.cannotStart
  if (failure.kind === 'exit') return failure.code || ExitCode.taskFailed
  return ExitCode.taskFailed
}
