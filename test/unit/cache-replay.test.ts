/** Output shown again from a cache entry (which may come from the shared cache): no terminal string commands. */
import { describe, expect, it } from 'vitest'
import { decodeOutput, encodeOutput } from '../../src/cache/store/replay.js'

const roundTrip = (text: string) =>
  decodeOutput(encodeOutput([{ stream: 'stdout', data: Buffer.from(text, 'utf8') }]))
    .map((c) => Buffer.from(c.data).toString('utf8'))
    .join('')

describe('replayed output', () => {
  it('drops OSC, DCS, PM and APC commands (clipboard writes, titles), by ESC or by their C1 code points', () => {
    expect(roundTrip('a\x1b]52;c;ZWNobyBwd25lZA==\x07b')).toBe('ab')
    expect(roundTrip('a\x1b]0;title\x1b\\b')).toBe('ab')
    expect(roundTrip('a\x1bPq#0;2;0;0;0\x1b\\b')).toBe('ab')
    expect(roundTrip('a\x1b_hidden\x1b\\b\x1b^pm\x07c')).toBe('abc')
    expect(roundTrip('a\u009d52;c;eA==\u009cb')).toBe('ab')
    // Unterminated: dropped to the end, never left open for the next output.
    expect(roundTrip('ok\n\x1b]52;c;eA')).toBe('ok\n')
  })

  it('keeps text, UTF-8, colours and cursor moves as they were', () => {
    const text = 'plain ✓ ünïcödé 日本 \x1b[32mgreen\x1b[0m \x1b[2K\rprogress\n'
    expect(roundTrip(text)).toBe(text)
  })
})
