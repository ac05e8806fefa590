/** Where in the tasks file's sources an error was thrown. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SourceLocation } from '../errors.js'
import { originalPosition } from './source-map.js'

const FRAME = /(?:\(|at )((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/gm

/**
 * The first stack frame of an error that is in one of the given source files.
 * Frames in compiled output are mapped back through the source map beside it.
 */
export function locateIn(error: unknown, files: readonly string[]): SourceLocation | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : ''
  const wanted = new Set(files.map((f) => path.resolve(f)))
  for (const match of stack.matchAll(FRAME)) {
    const raw = match[1]!
    let file = raw.startsWith('file://') ? fileURLToPath(raw) : raw
    let line = Number(match[2])
    let column = Number(match[3])
    if (!wanted.has(path.resolve(file))) {
      const origin = originalPosition(file, line, column)
      if (!origin || !wanted.has(path.resolve(origin.file))) continue
      ;({ file, line, column } = origin)
    }
    return { file, line, column }
  }
  return undefined
}
