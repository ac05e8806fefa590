// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the texts hold `${` on purpose
/**
 * Where text of a converted file lands in the generated TypeScript: each escape, for any text at all,
 * read back by JavaScript itself gives the text (a string, a template's cooked text), and a comment
 * stays a comment (a program made of it and `0` evaluates to 0).
 */
import { runInNewContext } from 'node:vm'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { commentLines, jsString, templateText, visible } from '../../src/init/from/literals.js'

/** Any text, every code point (line separators, controls, lone surrogates) and the pieces that end things. */
const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc
    .array(fc.constantFrom('\n', '\r', '\u2028', '\u2029', '*/', '`', '${', '}', "'", '"', '\\', '$', '{', '\u202e', 'a'), {
      maxLength: 20,
    })
    .map((p) => p.join('')),
)

const evaluate = (source: string): unknown => runInNewContext(source, {})

describe('the literals of a converted file', () => {
  it('a string literal reads back as the text', () => {
    fc.assert(
      fc.property(text, (t) => evaluate(jsString(t)) === t),
      { numRuns: 2000 },
    )
  })

  it("a template literal's cooked text reads back as the text, a carriage return included", () => {
    fc.assert(
      fc.property(text, (t) => evaluate(`\`${templateText(t)}\``) === t),
      { numRuns: 2000 },
    )
    expect(evaluate(`\`${templateText('a\rb\r\nc')}\``)).toBe('a\rb\r\nc')
  })

  it('a comment stays a comment, one line for each line given, whatever the text', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 4 }), (lines) => {
        const comment = commentLines(lines)
        return evaluate(`${comment}0`) === 0 && comment.split('\n').length === lines.length + 1
      }),
      { numRuns: 2000 },
    )
  })

  it('writes what a reader cannot see as its escape, and leaves the rest as it is', () => {
    expect(visible('a\u2028b\r\nc\u202ed\x1b[2J*/e`f${g}\th')).toBe('a\\u2028b\\r\\nc\\u202ed\\u001b[2J*/e`f${g}\th')
    expect(commentLines(['one\u2029two'], '  ')).toBe('  // one\\u2029two\n')
    expect(jsString("it's\u2028")).toBe('"it\'s\\u2028"')
  })
})
