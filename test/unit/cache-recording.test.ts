import { describe, expect, it } from 'vitest'
import { OutputRecording } from '../../src/cache/store/recording.js'
import { Masker } from '../../src/env/mask.js'
import type { OutputChunk } from '../../src/run/gate.js'

const text = (chunks: OutputChunk[]) => chunks.map((c) => `${c.stream === 'stderr' ? '!' : ''}${Buffer.from(c.data).toString()}`).join('')

describe('OutputRecording', () => {
  it('keeps everything that fits, in order, streams apart', () => {
    const r = new OutputRecording(undefined, 20)
    r.add('stdout', 'one\n')
    r.add('stderr', Buffer.from('two\n'))
    r.add('stdout', 'three\n')
    expect(r.chunks().map((c) => c.stream)).toEqual(['stdout', 'stderr', 'stdout'])
    expect(text(r.chunks())).toBe('one\n!two\nthree\n')
  })

  it('keeps the first and the last lines within its bound, and says how much it left out', () => {
    const r = new OutputRecording(undefined, 20)
    for (let i = 0; i < 1000; i++) r.add('stdout', `line ${String(i).padStart(3, '0')}\n`)
    const kept = r.chunks()
    const [head, note, tail] = [text(kept.slice(0, 2)), text(kept.filter((c) => c.stream === 'stderr')), text(kept.slice(-2))]
    expect(head).toBe('line 000\nline 001\n')
    expect(note).toMatch(/^!\[runts: 0\.0 MiB of this task's output left out of the cache\]\n$/)
    expect(tail).toBe('line 998\nline 999\n')
    const bytes = kept.reduce((n, c) => n + c.data.length, 0)
    expect(bytes).toBeLessThan(40 + 80)
  })

  it('cuts a large chunk at a line end, and keeps only the end of a huge one', () => {
    const r = new OutputRecording(undefined, 16)
    r.add('stdout', 'aaaa\nbbbb\ncccc\ndddd\n')
    r.add('stdout', `${'x'.repeat(100)}\nlast line\n`)
    const all = text(r.chunks())
    expect(all.startsWith('aaaa\nbbbb\ncccc\n')).toBe(true)
    expect(all.endsWith('last line\n')).toBe(true)
    expect(all).toContain('left out of the cache')
    expect(all.length).toBeLessThan(16 + 16 + 80)
  })

  it('takes a million small chunks in linear time', () => {
    // The tail holds 128 Ki chunks of 2 bytes: dropping them one by one with shift() would take minutes.
    const r = new OutputRecording(undefined, 256 * 1024)
    const started = performance.now()
    for (let i = 0; i < 1_000_000; i++) r.add('stdout', 'x\n')
    // Linear: about a second alone, a few on a loaded machine; quadratic: minutes.
    expect(performance.now() - started).toBeLessThan(30_000)
    expect(r.chunks().length).toBeLessThan(2 * 128 * 1024 + 2)
  })

  it('masks before it cuts: a secret that a cut through a line longer than the bound would halve is never kept', () => {
    const secret = 'SeCrEt-VaLuE'
    // One line, no line end until the end: the bound (40) falls inside the second secret, and so does the
    // start of the kept end (40 from the end), whatever the chunks.
    const line = `${'a'.repeat(30)}${secret}${'b'.repeat(60)}${secret}${'c'.repeat(30)}\n`
    for (const size of [1, 7, 13, line.length]) {
      const r = new OutputRecording(new Masker([secret]), 40)
      for (let at = 0; at < line.length; at += size) r.add('stdout', line.slice(at, at + size))
      const kept = text(r.chunks())
      for (let n = 3; n <= secret.length; n++) {
        expect(kept, `chunks of ${size}`).not.toContain(secret.slice(0, n))
        expect(kept, `chunks of ${size}`).not.toContain(secret.slice(-n))
      }
    }
  })

  it('masks a secret cut across chunks of one stream, with the other stream between them', () => {
    const r = new OutputRecording(new Masker(['tok-123456']))
    r.add('stdout', 'use tok-12')
    r.add('stderr', 'warn\n')
    r.add('stdout', '3456 now\n')
    expect(text(r.chunks())).toBe('use !warn\n*** now\n')
  })
})
