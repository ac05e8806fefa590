/**
 * Where in the tasks file's sources an error was thrown: the first stack
 * frame in one of those files, mapped back through the source map beside a
 * compiled file (with Node's own `module.SourceMap`). Done when an error is
 * raised, so that rendering it reads no file, and Node never loads source
 * maps on the hot path.
 */
import { readFileSync } from 'node:fs'
import { SourceMap, type SourceMapPayload } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SourceLocation } from '../errors.js'

const FRAME = /(?:\(|at )((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/gm

export function locateIn(error: unknown, files: readonly string[]): SourceLocation | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : ''
  const wanted = new Set(files.map((f) => path.resolve(f)))
  for (const match of stack.matchAll(FRAME)) {
    const raw = match[1]!
    const at = { file: raw.startsWith('file://') ? fileURLToPath(raw) : raw, line: Number(match[2]), column: Number(match[3]) }
    const found = wanted.has(path.resolve(at.file)) ? at : originalPosition(at)
    if (found && wanted.has(path.resolve(found.file))) return { ...found, lineText: sourceLine(found.file, found.line) }
  }
  return undefined
}

/** A 1-based position in a compiled file, in its source, from the `.map` file written beside it. */
function originalPosition(at: SourceLocation): SourceLocation | undefined {
  let map: SourceMap
  try {
    map = new SourceMap(JSON.parse(readFileSync(`${at.file}.map`, 'utf8')) as SourceMapPayload)
  } catch {
    return undefined
  }
  const entry = map.findEntry(at.line - 1, at.column - 1) as Partial<import('node:module').SourceMapping>
  if (entry.generatedLine !== at.line - 1 || entry.originalSource === undefined) return undefined
  const offset = at.column - 1 - entry.generatedColumn!
  return { file: entry.originalSource, line: entry.originalLine! + 1, column: entry.originalColumn! + 1 + offset }
}

function sourceLine(file: string, line: number): string | undefined {
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/)[line - 1]
  } catch {
    return undefined
  }
}
