/** The one decision of an exit code (src/errors.ts): a run's, an error's, and after runts' own output failed. */
import { describe, expect, it } from 'vitest'
import { exitCodeAfterOutputFailed, exitCodeFor, RuntsError, runExitCode } from '../../src/errors.js'
import { failureExitCode } from '../../src/run/failure.js'

describe('exit codes', () => {
  it('of a run: the stopping signal, else the first error, else 0', () => {
    const failed = new RuntsError('command-failed', 'a command exited with code 3', { code: 3 })
    const threw = new RuntsError('task-threw', 'boom')
    expect(runExitCode({ errors: [] })).toBe(0)
    expect(runExitCode({ errors: [failed, threw] })).toBe(3)
    expect(runExitCode({ errors: [threw, failed] })).toBe(1)
    expect(runExitCode({ signal: 'SIGINT', errors: [failed] })).toBe(130)
    expect(runExitCode({ signal: 'SIGTERM', errors: [] })).toBe(143)
    expect(runExitCode({ signal: 'SIGPIPE', errors: [] })).toBe(141)
    // Not ours: an internal error is 1, shown with its stack.
    expect(runExitCode({ errors: [new Error('bug')] })).toBe(1)
    // A report that could not be written fails a run that went well, and only that.
    const unwritten = new RuntsError('write-failed', 'could not write the report')
    expect(runExitCode({ errors: [unwritten] })).toBe(1)
    expect(runExitCode({ errors: [failed, unwritten] })).toBe(3)
  })

  it('of an error: its own code where its kind has one, never 0', () => {
    expect(exitCodeFor('command-failed', 7)).toBe(7)
    expect(exitCodeFor('command-failed', 0)).toBe(1)
    expect(exitCodeFor('cannot-start')).toBe(126)
    expect(exitCodeFor('task-timeout')).toBe(124)
    expect(exitCodeFor('stale-workflow')).toBe(1)
    expect(exitCodeFor('missing-env')).toBe(2)
    expect(new RuntsError('preflight', 'a check failed').exitCode).toBe(2)
  })

  it("of a task's failure, as the runner records it", () => {
    expect(failureExitCode({ kind: 'command', command: 'false', exitCode: 5 })).toBe(5)
    expect(failureExitCode({ kind: 'start', command: 'nope', code: 'ENOENT' })).toBe(126)
    expect(failureExitCode({ kind: 'exit', code: 0 })).toBe(1)
    expect(failureExitCode({ kind: 'exit', code: 4 })).toBe(4)
    expect(failureExitCode({ kind: 'timeout', limit: 1000 })).toBe(124)
  })

  it("after runts' own output could not be written: an error, unless the run already failed", () => {
    expect(exitCodeAfterOutputFailed(0)).toBe(1)
    expect(exitCodeAfterOutputFailed(141)).toBe(1)
    expect(exitCodeAfterOutputFailed(3)).toBe(3)
    expect(exitCodeAfterOutputFailed(130)).toBe(130)
  })
})
