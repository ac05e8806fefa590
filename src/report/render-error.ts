/** The one function that turns an error into text for people. Pure: errors carry their location and source line. */
import path from 'node:path'
import { isRuntsError, type SourceLocation } from '../errors.js'
import type { Colors } from './colors.js'

export function renderError(error: unknown, c: Colors, cwd: string): string {
  if (!isRuntsError(error)) {
    // Not the user's mistake: ours. Show the stack.
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error)
    return `${c.red(c.bold('error:'))} internal error in runts, please report it\n${stack}\n`
  }
  let out = `${c.red(c.bold('error:'))} ${error.message}\n`
  if (error.command) out += `  ${c.dim('$')} ${error.command}\n`
  if (error.location) out += renderLocation(error.location, c, cwd)
  if (error.hint) out += `${c.cyan('hint:')} ${error.hint}\n`
  return out
}

function renderLocation(location: SourceLocation, c: Colors, cwd: string): string {
  const where = `${path.relative(cwd, location.file) || location.file}${location.line > 0 ? `:${location.line}:${location.column}` : ''}`
  let out = `  ${c.dim('at')} ${where}\n`
  if (location.lineText !== undefined && location.line > 0) {
    const gutter = String(location.line)
    out += `  ${c.dim(`${gutter} |`)} ${location.lineText}\n`
    out += `  ${' '.repeat(gutter.length)} ${c.dim('|')} ${' '.repeat(Math.max(0, location.column - 1))}${c.red('^')}\n`
  }
  return out
}
