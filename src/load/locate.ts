/** Where in the tasks file's sources an error was thrown. */
import path from 'node:path'
import type { SourceLocation } from '../errors.js'

/** The first stack frame of an error that is in one of the tasks file's sources. */
export function locateIn(error: unknown, files: readonly string[]): SourceLocation | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : ''
  const wanted = new Set(files.map((f) => path.resolve(f)))
  for (const match of stack.matchAll(/(?:\(|at )((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/gm)) {
    const raw = match[1]!
    const file = raw.startsWith('file://') ? decodeURIComponent(new URL(raw).pathname) : raw
    if (wanted.has(path.resolve(file))) return { file, line: Number(match[2]), column: Number(match[3]) }
  }
  return undefined
}
