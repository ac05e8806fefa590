import { describe, expect, it } from 'vitest'
import { colors } from '../../src/report/colors.js'
import { aroundOutput, ERASE_LINE, formatElapsed, showStatusLine, statusLine } from '../../src/report/status-line.js'
import { StatusWriter } from '../../src/report/status-writer.js'
import type { RunEvent } from '../../src/run/events.js'

const state = { done: 3, total: 7, running: ['build', 'lint'], elapsedMs: 12_400, width: 80 }

describe('statusLine', () => {
  it('shows tasks done of total, what runs, and whole seconds', () => {
    expect(statusLine(state)).toBe('[3/7] build, lint  12s')
    expect(statusLine({ ...state, running: [] })).toBe('[3/7]  12s')
    expect(statusLine({ ...state, elapsedMs: 65_000 })).toBe('[3/7] build, lint  1m05s')
  })

  it('fits the width less one column: names that do not fit are counted, then the time alone', () => {
    const running = ['publish:test', 'typecheck', 'lint', 'build']
    for (let width = 1; width < 60; width++) {
      const line = statusLine({ ...state, running, width })
      expect(line.length, `width ${width}: ${line}`).toBeLessThanOrEqual(width - 1)
    }
    expect(statusLine({ ...state, running, width: 38 })).toBe('[3/7] publish:test, typecheck +2  12s')
    expect(statusLine({ ...state, running, width: 37 })).toBe('[3/7] publish:test +3  12s')
    expect(statusLine({ ...state, running, width: 16 })).toBe('[3/7] +4  12s')
    expect(statusLine({ ...state, running, width: 13 })).toBe('[3/7] 12s')
    expect(statusLine({ ...state, running, width: 4 })).toBe('[3/')
  })

  it('dims the time when colour is on, without counting the escapes in the width', () => {
    expect(statusLine({ ...state, width: 23 }, colors(true))).toBe('[3/7] build, lint  \x1b[2m12s\x1b[22m')
  })

  it('formats elapsed time', () => {
    expect([0, 999, 59_999, 60_000, 3_600_000].map(formatElapsed)).toEqual(['0s', '0s', '59s', '1m00s', '60m00s'])
  })
})

describe('aroundOutput', () => {
  it('erases the line, writes the output, and draws the line again only after a whole line', () => {
    expect(aroundOutput('hello\n', '[1/2]')).toBe(`${ERASE_LINE}hello\n[1/2]`)
    expect(aroundOutput('50%', '[1/2]')).toBe(`${ERASE_LINE}50%`)
  })
})

describe('showStatusLine', () => {
  const on = { stderrIsTerminal: true, env: { TERM: 'xterm-256color' }, tasks: 2 }
  it('is on for a run of several tasks on a terminal', () => {
    expect(showStatusLine(on)).toBe(true)
    expect(showStatusLine({ ...on, env: { NO_COLOR: '1' } })).toBe(true)
    expect(showStatusLine({ ...on, env: { CI: 'false' } })).toBe(true)
  })
  it('is off for one task, off a terminal, in CI, on a dumb terminal, and with RUNTS_STATUS=0', () => {
    expect(showStatusLine({ ...on, tasks: 1 })).toBe(false)
    expect(showStatusLine({ ...on, stderrIsTerminal: false })).toBe(false)
    for (const env of [
      { CI: 'true' },
      { CI: '1' },
      { GITHUB_ACTIONS: 'true' },
      { TERM: 'dumb' },
      { RUNTS_STATUS: '0' },
      { RUNTS_STATUS: 'off' },
    ]) {
      expect(showStatusLine({ ...on, env }), JSON.stringify(env)).toBe(false)
    }
  })
})

describe('StatusWriter', () => {
  const setup = () => {
    const screen: string[] = []
    let tick = () => {}
    let now = 0
    const text = (t: string | Uint8Array) => (typeof t === 'string' ? t : Buffer.from(t).toString())
    const terminal = { write: (t: string | Uint8Array) => void screen.push(`err:${text(t)}`) }
    const writer = new StatusWriter({
      terminal,
      total: 3,
      now: () => now,
      width: () => 80,
      every: (_ms, fn) => {
        tick = fn
        return () => {
          tick = () => {}
        }
      },
    })
    const out = writer.wrap({ write: (t) => void screen.push(`out:${text(t)}`) })
    const advance = (ms: number) => {
      now += ms
      tick()
    }
    return { screen, writer, out, advance }
  }
  const start = (task: string, extra: Partial<Extract<RunEvent, { kind: 'task-start' }>> = {}): RunEvent => ({
    kind: 'task-start',
    task,
    concurrent: true,
    interactive: false,
    pipeline: false,
    ...extra,
  })
  const end = (task: string): RunEvent => ({ kind: 'task-end', task, status: 'ok', duration: 1 })

  it('follows tasks, redraws each second, and writes output above the line', () => {
    const { screen, writer, out, advance } = setup()
    writer.handle(start('build'))
    expect(screen.at(-1)).toBe(`err:${ERASE_LINE}[0/3] build  0s`)
    out.write('compiled\n')
    expect(screen.slice(-3)).toEqual([`err:${ERASE_LINE}`, 'out:compiled\n', `err:${ERASE_LINE}[0/3] build  0s`])
    advance(2000)
    expect(screen.at(-1)).toBe(`err:${ERASE_LINE}[0/3] build  2s`)
    writer.handle(end('build'))
    expect(screen.at(-1)).toBe(`err:${ERASE_LINE}[1/3]  2s`)
    writer.stop()
    expect(screen.at(-1)).toBe(`err:${ERASE_LINE}`)
    advance(1000)
    out.write('after\n')
    expect(screen.at(-1)).toBe('out:after\n')
  })

  it('stays away while a line of output is unfinished, and while an interactive task owns the terminal', () => {
    const { screen, writer, out, advance } = setup()
    writer.handle(start('build'))
    out.write(new TextEncoder().encode('50%'))
    advance(1000)
    expect(screen.at(-1)).toBe('out:50%')
    out.write(' done\n')
    expect(screen.at(-1)).toBe(`err:${ERASE_LINE}[0/3] build  1s`)
    writer.handle(start('login', { interactive: true }))
    expect(screen.at(-1)).toBe(`err:${ERASE_LINE}`)
    advance(1000)
    out.write('password: \n')
    expect(screen.at(-1)).toBe('out:password: \n')
    writer.handle(end('login'))
    expect(screen.at(-1)).toBe(`err:${ERASE_LINE}[1/3] build  2s`)
  })

  it('does not count pipelines (tasks without run)', () => {
    const { screen, writer } = setup()
    writer.handle(start('release', { pipeline: true }))
    writer.handle(end('release'))
    expect(screen).toEqual([])
  })
})
