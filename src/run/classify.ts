/**
 * What a task's error says happened: a command that failed or was killed, one that could not be
 * started (with a hint for the causes a person can fix), a `process.exit()` in its JavaScript, or a
 * throw. zx's errors are recognised by their tag, not by instanceof, so that checking never loads zx.
 */
import { signalExitCode } from '../errors.js'
import type { Failure } from './events.js'
import { TaskExit } from './failure.js'

/** The last command of a task that exited non-zero: zx's error does not carry it. */
export interface FailedCommand {
  command?: string
}

export function classify(error: unknown, failed: FailedCommand, env: Record<string, string>): Failure {
  if (error instanceof TaskExit) return { kind: 'exit', code: error.code }
  if (isProcessOutput(error) && error.exitCode === null && error.signal === null) {
    const code = (error.cause as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error'
    return { kind: 'start', command: failed.command ?? '', code, hint: startHint(code, env) }
  }
  if (isProcessOutput(error)) {
    return {
      kind: 'command',
      command: failed.command ?? '',
      exitCode: error.exitCode ?? (error.signal ? signalExitCode(error.signal) : 129),
      signal: error.signal ?? undefined,
    }
  }
  return { kind: 'threw', error }
}

/** Linux refuses to start a program with one variable or argument over 128 KiB (MAX_ARG_STRLEN). */
const MAX_ARG_STRLEN = 128 * 1024

function startHint(code: string, env: Record<string, string>): string | undefined {
  if (code !== 'E2BIG') return undefined
  const big = Object.entries(env)
    .map(([name, value]) => [name, Buffer.byteLength(`${name}=${value}`) + 1] as const)
    .filter(([, size]) => size > MAX_ARG_STRLEN)
    .map(([name, size]) => `${name} (${Math.round(size / 1024)} KiB)`)
  const what = big.length > 0 ? `${big.join(', ')} ${big.length === 1 ? 'is' : 'are'} over` : 'the arguments or environment are over'
  return `${what} what Linux lets a command start with (128 KiB per variable or argument, about 2 MiB in all): pass large values in a file instead`
}

function isProcessOutput(error: unknown): error is { exitCode: number | null; signal: NodeJS.Signals | null; cause?: unknown } {
  return error instanceof Error && Object.prototype.toString.call(error) === '[object ProcessOutput]'
}
