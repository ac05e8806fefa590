/**
 * Warnings for `.env` lines that dotenv silently drops or cuts short. Values
 * still come from dotenv itself; this only points at surprises, by line.
 * Linear in the file's length (a 30,000-line file is checked in milliseconds).
 */

/**
 * dotenv's own line pattern (dotenv/lib/main.js, `LINE`), so that we flag exactly what it skips;
 * test/unit/env-lint.test.ts fails when dotenv's parsing of its corpus no longer matches it.
 */
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm

export interface EnvWarning {
  line: number
  message: string
}

export function lintEnvText(raw: string): EnvWarning[] {
  const text = raw.replace(/\r\n?/g, '\n')
  const starts = lineStarts(text)
  const lineOf = (index: number) => lineAt(starts, index)
  const covered = new Set<number>()
  const warnings: EnvWarning[] = []
  for (const match of text.matchAll(LINE)) {
    const keyAt = match.index + match[0].indexOf(match[1]!)
    const first = lineOf(keyAt)
    const last = lineOf(match.index + match[0].length)
    for (let l = first; l <= last; l++) covered.add(l)
    const value = match[2] ?? ''
    if (/^\s*['"`]/.test(value)) continue
    // An unquoted value ends at '#': `A=abc#def` is `abc`. A '#' after a space is an intended comment.
    const afterKey = keyAt + match[1]!.length
    const lineEnd = text.indexOf('\n', afterKey)
    const lineText = text.slice(afterKey, lineEnd < 0 ? undefined : lineEnd)
    const hash = lineText.indexOf('#')
    if (hash <= 0) continue
    const beforeHash = lineText.slice(0, hash)
    if (/[=:]\s*$/.test(beforeHash)) {
      warnings.push({ line: first, message: `${match[1]} is empty: an unquoted value cannot start with '#'; quote the value to keep it` })
    } else if (!/\s/.test(lineText[hash - 1]!)) {
      warnings.push({
        line: first,
        message: `the value of ${match[1]} is cut at '#' (dotenv reads '${value.trim()}'); quote the value to keep it`,
      })
    }
  }
  for (let i = 0; i < starts.length; i++) {
    const end = i + 1 < starts.length ? starts[i + 1]! - 1 : text.length
    const trimmed = text.slice(starts[i]!, end).trim()
    if (trimmed === '' || trimmed.startsWith('#') || covered.has(i + 1)) continue
    const why = trimmed.includes('=') ? 'it is not NAME=value' : "it has no '='"
    warnings.push({ line: i + 1, message: `ignored by dotenv: ${why}` })
  }
  return warnings.sort((a, b) => a.line - b.line)
}

function lineStarts(text: string): number[] {
  const starts = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return starts
}

/** The 1-based line holding `index`: a binary search over line starts. */
function lineAt(starts: readonly number[], index: number): number {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if (starts[mid]! <= index) low = mid
    else high = mid - 1
  }
  return low + 1
}
