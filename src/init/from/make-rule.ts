/**
 * A rule's line (`targets: prerequisites | order-only ; recipe # comment`)
 * split as GNU make splits it, names unescaped (`publish\:test:` is the
 * target `publish:test`). What make would read as something other than a
 * plain rule is said, for the reader to refuse with the line's number.
 */
import { type MakeName, makeNames, splitUnquoted, trimBlanks } from './make-syntax.js'

export interface RuleLine {
  targets: MakeName[]
  /** Normal and order-only prerequisites, in order. */
  prerequisites: string[]
  /** The recipe after `;`, as written. */
  recipe?: string
  /** The comment after `#` (`# doc` for `## doc`). */
  comment?: string
  /** `objects: %.o: %.c`: its targets are files made by a pattern. */
  staticPattern: boolean
}

/**
 * Reads a rule's line; `expand` expands the variables in its names (make expands them before it looks
 * for the colon). A string says what make reads there that runts does not convert; undefined: no rule.
 */
export function readRuleLine(line: string, expand: (text: string) => string): RuleLine | string | undefined {
  // A `;` before any comment starts the recipe, which goes to the shell as it is, `#` included.
  const head = splitUnquoted(line, ';#')
  const colon = splitUnquoted(expand(head.before), ':')
  if (colon.stop === undefined) return undefined
  if (/&\s*$/.test(colon.before)) return 'grouped targets, `&:`'
  const rest = colon.after.startsWith(':') ? colon.after.slice(1) : colon.after
  if (splitUnquoted(rest, '=').stop !== undefined) return 'a target-specific variable'
  const second = splitUnquoted(rest, ':')
  const orderOnly = splitUnquoted(second.before, '|')
  return {
    targets: makeNames(colon.before, true),
    prerequisites: [...makeNames(orderOnly.before, false), ...makeNames(orderOnly.after, false)].map((n) => n.name),
    recipe: head.stop === ';' ? trimBlanks(head.after) : undefined,
    comment: head.stop === '#' ? head.after : undefined,
    staticPattern: second.stop !== undefined,
  }
}
