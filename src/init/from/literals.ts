/**
 * Where text of the converted file lands in the generated TypeScript, and how
 * it is escaped there: export names made from task names, string literals,
 * shell text inside template literals, `//` comments. Text of the original
 * file reaches the output only through these functions, so that none of it
 * can end a comment, close a string or open an interpolation.
 */

const RESERVED = new Set(
  `break case catch class const continue debugger default delete do else enum export extends false finally for function if
  import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements
  interface package private protected public await arguments eval task parallel env sh prelude`.split(/\s+/),
)

/**
 * Characters a reader cannot see, or that JavaScript reads as the end of a line: C0 and C1 controls
 * (tab aside), DEL, U+2028 and U+2029, the byte-order mark, and the bidirectional controls that make
 * text read in another order than it runs ("Trojan Source").
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const INVISIBLE = /[\0-\x08\n-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v' }

/** One such character as a JavaScript escape (`\n`, `\u2028`): in a string or a template the same character, in a comment visible text. */
function escapeOf(char: string): string {
  return SHORT[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
}

/** Text with every invisible character (newlines included) written as its escape: one line a terminal shows as it is. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, escapeOf)
}

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
    .replace(/\t/g, '\\t')
    .replace(INVISIBLE, escapeOf)
  return `${quote}${escaped}${quote}`
}

/**
 * Shell text as the inside of a template literal (runts' `$` reads its cooked text): the backslashes,
 * backticks and `${` that JavaScript would read are escaped, and so is every invisible character but
 * the newline, a carriage return included (JavaScript would read a literal one as a newline).
 */
export function templateText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/`/g, '\\`')
    .replace(/\$\{/g, '\\${')
    .replace(INVISIBLE, (char) => (char === '\n' ? char : escapeOf(char)))
}

/**
 * Each line of `text` after `indent` (empty lines too, with `blank`). A line ends at `\n` only: a `\r`,
 * U+2028 or U+2029 inside it is text of a command or a string, where a regular expression's `^` (with
 * the `m` flag) would see a line start and insert the indentation into what the command prints.
 */
export function indentLines(text: string, indent: string, blank = true): string {
  return text
    .split('\n')
    .map((line) => (blank || line !== '' ? `${indent}${line}` : line))
    .join('\n')
}

/** Text as `//` comment lines at an indentation: a line of the text never ends the comment early. */
export function commentLines(lines: string[], indent = ''): string {
  return lines.map((line) => `${indent}//${line ? ` ${visible(line)}` : ''}\n`).join('')
}
