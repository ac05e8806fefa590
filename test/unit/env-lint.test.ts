/**
 * The .env lint copies dotenv's line pattern: these tests pin it to dotenv's
 * own parsing, so that an upgrade of dotenv that parses differently fails
 * here instead of making the warnings wrong.
 */
import { parse } from 'dotenv'
import { describe, expect, it } from 'vitest'
import { lintEnvText } from '../../src/env/lint.js'

/** Lines people write, the odd ones included. */
const CORPUS = [
  'A=1',
  'B=x#y',
  'C=x #comment',
  'D',
  'E F=3',
  'H=#nothing',
  'export I=2',
  'J: colon',
  'K = spaced',
  "L='single # kept'",
  'M="double # kept"',
  'N=`back # kept`',
  '  O=indented',
  'P.Q-R=dotted',
  '1S=digit first',
  'T==double equals',
  'U=trailing   ',
  'V="unclosed',
  'W:no-space',
  '=novalue',
  'X=a=b=c',
  'Y=Ω unicode',
  '-Z=dash first',
  'export',
  'export AA',
]

describe('the .env lint and dotenv agree', () => {
  for (const line of CORPUS) {
    it(`on ${JSON.stringify(line)}`, () => {
      const parsed = parse(line)
      const warnings = lintEnvText(`${line}\n`)
      const ignored = warnings.some((w) => w.message.startsWith('ignored by dotenv'))
      expect(ignored).toBe(Object.keys(parsed).length === 0)
      const cut = warnings.find((w) => w.message.includes('is cut at'))
      if (cut) {
        const [name, value] = Object.entries(parsed)[0]!
        expect(cut.message).toContain(`the value of ${name} is cut at '#' (dotenv reads '${value}')`)
      }
      const empty = warnings.find((w) => w.message.includes('is empty'))
      if (empty) expect(Object.values(parsed)[0]).toBe('')
    })
  }
})

describe('the .env lint on a large file', () => {
  it('is linear: 30,000 lines in well under a second', () => {
    const text = Array.from({ length: 30_000 }, (_, i) => (i % 3 === 0 ? `V${i}=x#y` : i % 3 === 1 ? `not a line ${i}` : `V${i}=ok`)).join(
      '\n',
    )
    const started = performance.now()
    const warnings = lintEnvText(text)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(warnings).toHaveLength(20_000)
  })
})
