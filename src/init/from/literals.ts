/**
 * Names and literals of the generated TypeScript: export names made from task
 * names, strings quoted as biome writes them, shell text inside template literals.
 */

const RESERVED = new Set(
  `break case catch class const continue debugger default delete do else enum export extends false finally for function if
  import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements
  interface package private protected public await arguments eval task parallel env sh prelude`.split(/\s+/),
)

/** A JavaScript name for a task or constant name (`publish:test` -> `publishTest`), not one of `taken`. */
export function identifierFor(name: string, taken: Set<string>): string {
  const words = name.split(/[^A-Za-z0-9_$]+/).filter(Boolean)
  let id = words.map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join('') || 'task'
  if (/^[0-9]/.test(id)) id = `task${id[0]!.toUpperCase()}${id.slice(1)}`
  if (RESERVED.has(id) || id === '$') id = `${id}Task`
  let unique = id
  for (let n = 2; taken.has(unique); n++) unique = `${id}${n}`
  taken.add(unique)
  return unique
}

/** A string literal as biome formats it with single quotes preferred: the quote that needs fewer escapes. */
export function jsString(text: string): string {
  const singles = text.split("'").length - 1
  const doubles = text.split('"').length - 1
  const quote = doubles < singles ? '"' : "'"
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(new RegExp(quote, 'g'), `\\${quote}`)
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
  return `${quote}${escaped}${quote}`
}

/** Shell text as the inside of a template literal: the backslashes, backticks and `${` that JavaScript would read are escaped. */
export function templateText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')
}

/** Text as `//` comment lines at an indentation. */
export function commentLines(lines: string[], indent = ''): string {
  return lines.map((line) => `${indent}//${line ? ` ${line}` : ''}\n`).join('')
}
