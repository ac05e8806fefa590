/** Quoting for text a person copies into a shell. */

/** Control characters (C0 and DEL), which a shell only reads back from $'…' quoting. */
const CONTROL = /[\x00-\x1f\x7f]/g

/** A word a shell reads back as `text`, on one line: $'…' when it holds control characters, else '…'. */
export function shellQuote(text: string): string {
  if (/^[\w.:@/+=-]+$/.test(text)) return text
  CONTROL.lastIndex = 0
  if (!CONTROL.test(text)) return `'${text.replace(/'/g, `'\\''`)}'`
  const escaped = text.replace(/[\\']/g, '\\$&').replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
  return `$'${escaped}'`
}
