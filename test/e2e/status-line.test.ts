/**
 * The status line on a real terminal (bash under tmux): drawn at the bottom, output scrolling above it,
 * hidden while a line of output is unfinished, erased at the end.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { killAll, lastLine, Tmux } from '../helpers/tmux.js'

let dir: string
let term: Tmux

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-status-')))
  await build({
    entryPoints: [path.join(import.meta.dirname, '../helpers/status-driver.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: path.join(dir, 'driver.mjs'),
    logLevel: 'warning',
  })
  term = await Tmux.start({ shell: 'bash', rc: '', cwd: dir, width: 60, height: 12 })
})

afterAll(() => {
  killAll()
  rmSync(dir, { recursive: true, force: true })
})

/** The screen's lines, without the prompt line the driver was started from. */
const lines = (screen: string) => screen.split('\n').filter((l) => !l.startsWith('$ ') && l !== '$')

it('keeps one status line at the bottom while output scrolls above it, and erases it at the end', async () => {
  term.type(`'${process.execPath}' driver.mjs`)
  term.press('Enter')
  let screen = await term.waitFor((s) => /^\[0\/3\] build, lint {2}\d+s$/.test(lastLine(s)))
  expect(lines(screen)).toEqual(['build | compiling', 'lint  | checking', expect.stringMatching(/^\[0\/3\] build, lint/)])

  // An unfinished line of output: the status line makes way, and comes back once the line ends.
  term.press('x')
  screen = await term.waitFor((s) => lastLine(s) === 'build | progress 50%')
  expect(screen).not.toContain('[0/3]')
  term.press('x')
  screen = await term.waitFor((s) => lastLine(s).startsWith('[0/3]'))
  expect(lines(screen).slice(-2, -1)).toEqual(['build | progress 50% and done'])

  term.press('x')
  screen = await term.waitFor((s) => /^\[1\/3\] lint, publish:test {2}\d+s$/.test(lastLine(s)))
  expect(screen.match(/\[\d\/3\]/g)).toHaveLength(1)

  term.press('x')
  screen = await term.waitFor((s) => s.includes('summary: 3 tasks done') && lastLine(s) === '$')
  expect(screen).not.toMatch(/\[\d\/3\]/)
  expect(lines(screen)).toEqual(['build | compiling', 'lint  | checking', 'build | progress 50% and done', 'summary: 3 tasks done'])
})
