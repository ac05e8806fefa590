/**
 * Text the workflow holds that a YAML parser would not read back as written. The `yaml` library escapes
 * the C0 controls in a quoted scalar, but writes DEL, the C1 controls (U+0085 among them), U+2028,
 * U+2029, U+FFFE and U+FFFF as they are, in scalars and comments alike, and C0 controls raw in comments:
 * GitHub's parser and actionlint read U+0085, U+2028 and U+2029 as line breaks and refuse the others.
 * A name holding one is refused (a workflow that GitHub reads otherwise than runts wrote it is worse than
 * none); a comment, which is only for people, gets the character's escape instead.
 */

/** What no scalar may hold raw. */
const UNSAFE = /[\x7f-\x9f\u2028\u2029\ufffe\uffff]/
/** What no comment may hold raw (tab and newline aside: the library starts each line with `#`). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const UNSAFE_IN_COMMENT = /[\0-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]/g

const escaped = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`

/** The first character of `text` that a scalar may not hold raw, named as `U+2028`; undefined when there is none. */
export function yamlUnsafe(text: string): string | undefined {
  const found = UNSAFE.exec(text)?.[0]
  return found && `U+${found.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
}

/** Text as a comment may hold it: each such character as its `\u` escape. */
export function commentText(text: string): string {
  return text.replace(UNSAFE_IN_COMMENT, escaped)
}

/** A name in an error message: quoted, every such character escaped (a terminal would act on them). */
export function shownName(text: string): string {
  return JSON.stringify(text).replace(UNSAFE_IN_COMMENT, escaped)
}
