/**
 * Warnings for `.env` lines that dotenv silently drops or cuts short. Values
 * still come from dotenv itself; this only points at surprises, by line.
 */

/** dotenv's own line pattern (dotenv/lib/main.js, `LINE`), so that we flag exactly what it skips. */
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm

export interface EnvWarning {
  line: number
  message: string
}

export function lintEnvText(raw: string): EnvWarning[] {
  const text = raw.replace(/\r\n?/g, '\n')
  const lineOf = (index: number) => text.slice(0, index).split('\n').length
  const covered = new Set<number>()
  const warnings: EnvWarning[] = []
  for (const match of text.matchAll(LINE)) {
    const keyAt = match.index + match[0].indexOf(match[1]!)
    const first = lineOf(keyAt)
    const last = lineOf(match.index + match[0].length)
    for (let l = first; l <= last; l++) covered.add(l)
    const value = match[2] ?? ''
    const quoted = /^\s*['"`]/.test(value)
    if (!quoted) {
      // An unquoted value ends at '#': `A=abc#def` is `abc`. A '#' after a space is an intended comment.
      const rest = text.slice(match.index + match[0].indexOf(match[1]!) + match[1]!.length)
      const lineText = rest.slice(0, rest.indexOf('\n') < 0 ? undefined : rest.indexOf('\n'))
      const hash = lineText.indexOf('#')
      if (hash > 0 && !/\s/.test(lineText[hash - 1]!) && !/[=:]\s*$/.test(lineText.slice(0, hash))) {
        warnings.push({
          line: first,
          message: `the value of ${match[1]} is cut at '#' (dotenv reads '${value.trim()}'); quote the value to keep it`,
        })
      } else if (hash > 0 && /[=:]\s*$/.test(lineText.slice(0, hash))) {
        warnings.push({ line: first, message: `${match[1]} is empty: an unquoted value cannot start with '#'; quote the value to keep it` })
      }
    }
  }
  text.split('\n').forEach((lineText, i) => {
    const trimmed = lineText.trim()
    if (trimmed === '' || trimmed.startsWith('#') || covered.has(i + 1)) return
    const why = trimmed.includes('=') ? 'it is not NAME=value' : "it has no '='"
    warnings.push({ line: i + 1, message: `ignored by dotenv: ${why}` })
  })
  return warnings.sort((a, b) => a.line - b.line)
}
