import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Masker, StreamMasker } from '../../src/env/mask.js'

function streamed(masker: Masker, chunks: string[]): string {
  const s = new StreamMasker(masker)
  return chunks.map((c) => s.push(c)).join('') + s.end()
}

describe('Masker', () => {
  it('masks every occurrence, the longest secret first', () => {
    const m = new Masker(['abcd', 'abcdefgh'])
    expect(m.mask('x abcdefgh y abcd z')).toBe('x *** y *** z')
  })

  it('leaves text without secrets alone', () => {
    expect(new Masker([]).mask('a.b*c')).toBe('a.b*c')
    expect(new Masker(['s3cr.t']).mask('s3cret')).toBe('s3cret')
  })
})

describe('StreamMasker', () => {
  it('masks a secret split across chunks, byte by byte', () => {
    const secret = 'hunter2-token'
    expect(streamed(new Masker([secret]), [...`before ${secret} after\n`])).toBe('before *** after\n')
  })

  it('lets text through at once when it cannot start a secret', () => {
    const s = new StreamMasker(new Masker(['zzzz']))
    expect(s.push('progress 10%')).toBe('progress 10%')
    expect(s.push(' zz')).toBe(' ')
    expect(s.push('y')).toBe('zzy')
  })

  it('never leaks a secret, however the output is cut (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 20 }),
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 30 }),
        (secret, before, after, cuts) => {
          const text = before + secret + after
          const chunks: string[] = []
          let at = 0
          for (const size of cuts) {
            if (at >= text.length) break
            chunks.push(text.slice(at, at + size))
            at += size
          }
          chunks.push(text.slice(at))
          const out = streamed(new Masker([secret]), chunks)
          expect(out).not.toContain(secret)
          expect(out).toBe(new Masker([secret]).mask(text))
        },
      ),
      { numRuns: 500 },
    )
  })

  it('never changes output that holds no secret (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 12 }), fc.array(fc.string(), { maxLength: 10 }), (secret, chunks) => {
        fc.pre(!chunks.join('').includes(secret))
        expect(streamed(new Masker([secret]), chunks)).toBe(chunks.join(''))
      }),
      { numRuns: 500 },
    )
  })
})
