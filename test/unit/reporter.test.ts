/** The reporter's text, from events: layouts, masking, partial lines, summaries, GitHub groups. */
import { describe, expect, it } from 'vitest'
import { Masker } from '../../src/env/mask.js'
import { RuntsError } from '../../src/errors.js'
import { colors } from '../../src/report/colors.js'
import { GithubReporter } from '../../src/report/github.js'
import { Lines } from '../../src/report/lines.js'
import type { OutputMode } from '../../src/report/output-mode.js'
import { renderError } from '../../src/report/render-error.js'
import { Reporter } from '../../src/report/reporter.js'
import { summaryText } from '../../src/report/summary.js'
import type { RunEvent } from '../../src/run/events.js'
import { FakeClock } from '../helpers/fake-clock.js'

const c = colors(false)

function reporter(mode: OutputMode = 'auto', secrets: string[] = [], kind: typeof Reporter = Reporter) {
  const text = { out: '', err: '' }
  const sink = (key: 'out' | 'err') => ({
    write: (t: string | Uint8Array) => {
      text[key] += typeof t === 'string' ? t : Buffer.from(t).toString()
    },
  })
  const clock = new FakeClock()
  const r = new kind({
    out: sink('out'),
    err: sink('err'),
    masker: new Masker(secrets),
    c,
    mode,
    clock,
    render: (e) => renderError(e, c, '/'),
  })
  const send = (...events: RunEvent[]) => {
    for (const event of events) r.handle(event)
  }
  return { r, text, clock, send }
}

const start = (task: string, concurrent = false): RunEvent => ({
  kind: 'task-start',
  task,
  concurrent,
  interactive: false,
  pipeline: false,
})
const out = (task: string, data: string): RunEvent => ({ kind: 'output', task, stream: 'stdout', data })
const end = (task: string): RunEvent[] => [
  { kind: 'output-end', task },
  { kind: 'task-end', task, status: 'ok', duration: 1500 },
]

describe('the reporter', () => {
  it('streams a lone task straight through, masked, after a start line on stderr', () => {
    const { text, send } = reporter('auto', ['s3cret-value'])
    send(start('build'), out('build', 'token s3cr'), out('build', 'et-value ok\npartial'), ...end('build'))
    expect(text.err).toBe('› start build\n')
    expect(text.out).toBe('token *** ok\npartial')
  })

  it('prefixes the whole lines of concurrent tasks, aligned, and never mixes two lines', () => {
    const { r, text, send } = reporter()
    r.setTaskNames(['a', 'longer'])
    send(start('a', true), start('longer', true), out('a', 'one\ntw'), out('longer', 'x\n'), out('a', 'o\n'), ...end('a'), ...end('longer'))
    expect(text.out).toBe('a      | one\nlonger | x\na      | two\n')
    expect(text.err).toContain('a      | ✓ done in 1.5s\n')
  })

  it('shows a partial line on its own after 200 ms, timed from when it began', () => {
    const { r, text, send, clock } = reporter('prefixed')
    r.setTaskNames(['t'])
    send(start('t'), out('t', '10%'))
    clock.advance(150)
    send(out('t', ' 20%'))
    expect(text.out).toBe('')
    clock.advance(50)
    expect(text.out).toBe('t | 10% 20%\n')
  })

  it('buffers a grouped task and prints it whole when it ends', () => {
    const { text, send } = reporter('grouped')
    send(start('a', true), out('a', 'first\n'), start('b', true), out('b', 'second\n'))
    expect(text.out).toBe('')
    send(...end('b'), ...end('a'))
    expect(text.out).toBe('second\nfirst\n')
    expect(text.err).toBe('✓ b 1.5s\n✓ a 1.5s\n')
  })

  it('under GitHub Actions groups each task and annotates a failure', () => {
    const { r, text, send } = reporter('auto', [], GithubReporter)
    send(start('lint'), out('lint', 'ok\n'), ...end('lint'))
    expect(text.out).toBe('::group::lint\nok\n::endgroup::\n')
    r.failure(new RuntsError('command-failed', "task 'lint' failed: a command exited with code 3", { task: 'lint', command: 'eslint .' }))
    expect(text.out).toContain("::error title=runts%3A task lint failed::task 'lint' failed: a command exited with code 3%0A  $ eslint .")
  })
})

describe('the summary', () => {
  it('counts each status, cached ones as done', () => {
    const text = summaryText(
      [
        { name: 'build', status: 'up-to-date', duration: 3 },
        { name: 'test', status: 'restored', duration: 40 },
        { name: 'lint', status: 'ok', duration: 1200 },
      ],
      1300,
      c,
    )
    expect(text).toBe(
      '  ✓ build  3ms  up to date\n  ✓ test   40ms  restored\n  ✓ lint   1.2s\n✓ 3 tasks done (1 up to date, 1 restored) in 1.3s\n',
    )
    const failed = summaryText(
      [
        { name: 'a', status: 'failed', duration: 10, exitCode: 3 },
        { name: 'b', status: 'skipped', duration: 0 },
      ],
      20,
      c,
    )
    expect(failed).toBe('  ✗ a  10ms  failed (exit 3)\n  - b  not started\n✗ 0 done, 1 failed, 1 not started in 20ms\n')
  })
})

describe('Lines', () => {
  it('gives whole lines, and a partial line past the bound on its own', () => {
    const lines = new Lines(8)
    expect(lines.push('ab')).toEqual([])
    expect(lines.push('c\nde\nf')).toEqual(['abc', 'de'])
    expect(lines.push('ghijklm')).toEqual(['fghijklm'])
    expect(lines.pending).toBe(false)
  })

  it('is linear: a 50 MB line in 64 KB pieces takes well under a second', () => {
    const lines = new Lines()
    const piece = 'x'.repeat(64 * 1024)
    const started = performance.now()
    let out = 0
    for (let i = 0; i < 800; i++) out += lines.push(piece).length
    expect(out).toBe(800)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})
