/** A task's failure as an error for people: located in the tasks file's sources before it is rendered. */

import { formatDuration } from '../api/duration.js'
import { RuntsError } from '../errors.js'
import { locateIn } from '../load/locate.js'
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
        code: failure.exitCode,
      })
    }
    case 'start':
      return new RuntsError('cannot-start', `task '${task}' failed: a command could not be started (${failure.code})`, {
        task,
        command: failure.command || undefined,
        hint: failure.hint,
      })
    case 'exit':
      return new RuntsError('task-exit', `task '${task}' called process.exit(${failure.code}), which would have ended runts itself`, {
        task,
        hint: 'return from the task (or throw) instead; every other task was stopped',
        code: failure.code,
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

/** The exit code a failure gives `run`: its error's (errors.ts decides, from the error's kind and own code). */
export function failureExitCode(failure: Failure): number {
  return failureError('', failure, []).exitCode
}
