/**
 * Mapping a position in a compiled tasks file back to its source, from the
 * `.map` file written beside it. Done here, only when an error needs it, so
 * that Node never has to load source maps on the hot path.
 */
import { readFileSync } from 'node:fs'

interface RawMap {
  sources: string[]
  mappings: string
}

export interface Original {
  file: string
  line: number
  column: number
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]))

/** 1-based line and column in the compiled file, to 1-based line and column in the source. */
export function originalPosition(compiledFile: string, line: number, column: number): Original | undefined {
  let map: RawMap
  try {
    map = JSON.parse(readFileSync(`${compiledFile}.map`, 'utf8')) as RawMap
  } catch {
    return undefined
  }
  const lines = map.mappings.split(';')
  // Fields are relative to the previous segment (source, line, column across lines; column within a line).
  let source = 0
  let sourceLine = 0
  let sourceColumn = 0
  for (let l = 0; l < lines.length; l++) {
    let generatedColumn = 0
    let best: Original | undefined
    for (const segment of lines[l]!.split(',')) {
      if (!segment) continue
      const fields = decode(segment)
      generatedColumn += fields[0]!
      if (fields.length < 4) continue
      source += fields[1]!
      sourceLine += fields[2]!
      sourceColumn += fields[3]!
      if (l === line - 1 && generatedColumn <= column - 1) {
        best = { file: map.sources[source]!, line: sourceLine + 1, column: sourceColumn + 1 + (column - 1 - generatedColumn) }
      }
    }
    if (l === line - 1) return best
  }
  return undefined
}

/** One segment's base64 VLQ fields. */
function decode(segment: string): number[] {
  const out: number[] = []
  let value = 0
  let shift = 0
  for (const char of segment) {
    const digit = DIGIT.get(char)
    if (digit === undefined) return out
    value += (digit & 31) << shift
    if (digit & 32) {
      shift += 5
      continue
    }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1)
    value = 0
    shift = 0
  }
  return out
}
