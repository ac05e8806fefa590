/** Quoting for text a person copies into a shell. */

/** A control character (C0 or DEL), which a shell only reads back from $'…' quoting. */
const isControl = (code: number) => code < 0x20 || code === 0x7f

/** A word a shell reads back as `text`, on one line: $'…' when it holds control characters, else '…'. */
export function shellQuote(text: string): string {
  if (/^[\w.:@/+=-]+$/.test(text)) return text
  const chars = [...text]
  if (!chars.some((c) => isControl(c.charCodeAt(0)))) return `'${text.replace(/'/g, `'\\''`)}'`
  const escaped = chars
    .map((c) => {
      const code = c.charCodeAt(0)
      if (c === '\\' || c === "'") return `\\${c}`
      return isControl(code) ? `\\x${code.toString(16).padStart(2, '0')}` : c
    })
    .join('')
  return `$'${escaped}'`
}
