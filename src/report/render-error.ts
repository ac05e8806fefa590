/** The one function that turns an error into text for people. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { isRuntsError, type SourceLocation } from '../errors.js'
import { locateIn } from '../load/locate.js'
import { formatDuration } from '../run/duration.js'
import type { Failure } from '../run/events.js'
import type { Colors } from './colors.js'

export function renderError(error: unknown, c: Colors, cwd: string): string {
  if (!isRuntsError(error)) {
    // Not the user's mistake: ours. Show the stack.
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error)
    return `${c.red(c.bold('error:'))} internal error in runts, please report it\n${stack}\n`
  }
  let out = `${c.red(c.bold('error:'))} ${error.message}\n`
  if (error.location) out += renderLocation(error.location, c, cwd)
  if (error.hint) out += `${c.cyan('hint:')} ${error.hint}\n`
  return out
}

export function renderFailure(task: string, failure: Failure, c: Colors, cwd: string, sources: readonly string[]): string {
  if (failure.kind === 'command') {
    const how = failure.signal ? `was killed by ${failure.signal}` : `exited with code ${failure.exitCode}`
    const command = failure.command ? `\n  ${c.dim('$')} ${failure.command}` : ''
    return `${c.red(c.bold('error:'))} task '${task}' failed: a command ${how}${command}\n`
  }
  if (failure.kind === 'timeout') {
    return `${c.red(c.bold('error:'))} task '${task}' timed out after ${formatDuration(failure.limit)} (its timeout) and was stopped\n`
  }
  const { error } = failure
  const message = error instanceof Error ? error.message : String(error)
  let out = `${c.red(c.bold('error:'))} task '${task}' threw: ${message}\n`
  const location = locateIn(error, sources)
  if (location) out += renderLocation(location, c, cwd)
  return out
}

function renderLocation(location: SourceLocation, c: Colors, cwd: string): string {
  const where = `${path.relative(cwd, location.file) || location.file}${location.line > 0 ? `:${location.line}:${location.column}` : ''}`
  let out = `  ${c.dim('at')} ${where}\n`
  const text = location.lineText ?? sourceLine(location)
  if (text !== undefined && location.line > 0) {
    const gutter = String(location.line)
    out += `  ${c.dim(`${gutter} |`)} ${text}\n`
    out += `  ${' '.repeat(gutter.length)} ${c.dim('|')} ${' '.repeat(Math.max(0, location.column - 1))}${c.red('^')}\n`
  }
  return out
}

function sourceLine(location: SourceLocation): string | undefined {
  try {
    return readFileSync(location.file, 'utf8').split(/\r?\n/)[location.line - 1]
  } catch {
    return undefined
  }
}
