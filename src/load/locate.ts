/** Where in the tasks file's sources an error was thrown. */
import { findSourceMap } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SourceLocation } from '../errors.js'

const FRAME = /(?:\(|at )((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/gm

/**
 * The first stack frame of an error that is in one of the given source files.
 * Frames in compiled output are mapped back through its source map, in case
 * the stack was not (a test runner may own `Error.prepareStackTrace`).
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
      const origin = findSourceMap(raw.startsWith('file://') ? raw : file)?.findOrigin(line, column)
      if (!origin || !('fileName' in origin)) continue
      file = origin.fileName.startsWith('file://') ? fileURLToPath(origin.fileName) : origin.fileName
      line = origin.lineNumber
      column = origin.columnNumber
      if (!wanted.has(path.resolve(file))) continue
    }
    return { file, line, column }
  }
  return undefined
}
