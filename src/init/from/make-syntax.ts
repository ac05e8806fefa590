/**
 * How GNU make reads the text of a line that is not a recipe: where its
 * comment starts, and where a rule's targets, prerequisites and inline recipe
 * are. A backslash makes `#`, `:`, `;`, `|` and blanks (and `%` in a target)
 * part of a name: `publish\:test` is the target `publish:test`, as
 * `run --makefile` writes it. As in make, a run of backslashes before such a
 * character is halved, and an odd run escapes it; other backslashes are
 * letters. Inside `$(…)` and `${…}` these characters are literal.
 */

/** Text split at the first of `stops` that no backslash escapes, outside `$(…)` and `${…}`. */
export interface Split {
  /** The text before it, with make's backslashes before any of `stops` resolved. */
  before: string
  /** The character found, or undefined when there is none. */
  stop?: string
  /** The text after it, as written. */
  after: string
}

/** Splits `text` as make's `find_char_unquote` does. */
export function splitUnquoted(text: string, stops: string): Split {
  let before = ''
  for (let i = 0; i < text.length; ) {
    const c = text[i]!
    if (c === '$') {
      const end = text[i + 1] === '(' || text[i + 1] === '{' ? closing(text, i + 1) : i + 2
      before += text.slice(i, end)
      i = end
    } else if (c === '\\') {
      const { n, next } = backslashes(text, i)
      const escapes = next !== undefined && stops.includes(next)
      before += '\\'.repeat(escapes ? n >> 1 : n)
      i += n
      if (!escapes) continue
      if (n % 2 === 0) return { before, stop: next, after: text.slice(i + 1) }
      before += next
      i++
    } else if (stops.includes(c)) {
      return { before, stop: c, after: text.slice(i + 1) }
    } else {
      before += c
      i++
    }
  }
  return { before, after: '' }
}

/** Text without the blanks (spaces and tabs) around it: make's only blanks (a U+2028 is part of a name to it). */
export function trimBlanks(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, '')
}

/** A line without its comment (`#` to the end), `\#` read as `#`. */
export function withoutComment(line: string): string {
  return splitUnquoted(line, '#').before
}

export interface MakeName {
  name: string
  /** A target with a `%` that no backslash escapes: a pattern rule's. */
  pattern: boolean
}

/**
 * The names in a list of targets (`target: true`) or prerequisites, split at blanks that no backslash
 * escapes. In a target, `\%` is a literal `%` and a bare `%` makes a pattern; make keeps `\%` in a
 * prerequisite of an ordinary rule as written. A reference left unexpanded (`$(wildcard *.c)`) is one
 * name; `$$` is `$`.
 */
export function makeNames(text: string, target: boolean): MakeName[] {
  const names: MakeName[] = []
  const escapable = target ? ' \t%' : ' \t'
  let current: MakeName = { name: '', pattern: false }
  const end = () => {
    if (current.name !== '') names.push(current)
    current = { name: '', pattern: false }
  }
  for (let i = 0; i < text.length; ) {
    const c = text[i]!
    if (c === '$') {
      const end = text[i + 1] === '(' || text[i + 1] === '{' ? closing(text, i + 1) : i + 2
      current.name += text[i + 1] === '$' ? '$' : text.slice(i, end)
      i = end
    } else if (c === '\\') {
      const { n, next } = backslashes(text, i)
      const escapes = next !== undefined && escapable.includes(next)
      current.name += '\\'.repeat(escapes ? n >> 1 : n)
      i += n
      if (!escapes) continue
      if (n % 2 === 1) current.name += next
      else if (next === '%') current = { name: `${current.name}%`, pattern: true }
      else end()
      i++
    } else {
      if (c === ' ' || c === '\t') end()
      else current = { name: current.name + c, pattern: current.pattern || (target && c === '%') }
      i++
    }
  }
  end()
  return names
}

/** The length of the run of backslashes at `at`, and the character after it. */
function backslashes(text: string, at: number): { n: number; next: string | undefined } {
  let n = 0
  while (text[at + n] === '\\') n++
  return { n, next: text[at + n] }
}

/** The index just after the bracket that closes the one at `open`. */
function closing(text: string, open: number): number {
  const closers: string[] = []
  for (let i = open; i < text.length; i++) {
    const c = text[i]!
    if (c === '(' || c === '{') closers.push(c === '(' ? ')' : '}')
    else if (c === closers.at(-1)) closers.pop()
    if (closers.length === 0) return i + 1
  }
  return text.length
}
