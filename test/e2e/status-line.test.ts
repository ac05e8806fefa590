/**
 * The status line of the built CLI on a real terminal (bash under tmux): drawn at the bottom for a run
 * of more than one task, output scrolling above it, out of the way of an unfinished line, erased at the
 * end; never drawn when stderr is not a terminal, in CI, with TERM=dumb or RUNTS_STATUS=0. The tasks wait
 * for files the test creates ("gates"), so the screen is read at known points of the run; every byte
 * written to the terminal is recorded too, so "never drawn" covers the whole run, not one screen.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { until } from '../helpers/processes.js'
import { cli, repo } from '../helpers/project.js'
import { killAll, lastLine, Tmux } from '../helpers/tmux.js'

const TASKS = `import { $, parallel, task } from 'runts'
const gate = (name: string) => $\`while [ ! -e gates/\${name} ]; do sleep 0.02; done\`
export const build = task({ run: async () => { await $\`echo compiling; seq 1 15\`; await gate('build'); await $\`echo built\` } })
export const lint = task({ run: async () => { await $\`echo checking\`; await gate('lint') } })
export const publish = task({ run: async () => { await $\`printf 'uploading 50%%'\`; await gate('publish'); await $\`echo ' and done'\` } })
export const all = task({ deps: [parallel(build, lint), publish] })
`
const STATUS = /\[\d\/\d\]/
/** A colour or style escape sequence. */
const SGR = new RegExp(`${String.fromCharCode(27)}\\[[\\d;]*m`)

let dir: string
let project: string
let term: Tmux
let runs = 0

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-status-')))
  mkdirSync(path.join(dir, 'bin'))
  writeFileSync(path.join(dir, 'bin', 'run'), `#!/bin/sh\nexec '${process.execPath}' '${cli}' "$@"\n`)
  chmodSync(path.join(dir, 'bin', 'run'), 0o755)
  project = path.join(dir, 'project')
  mkdirSync(path.join(project, 'node_modules'), { recursive: true })
  symlinkSync(repo, path.join(project, 'node_modules', 'runts'))
  writeFileSync(path.join(project, 'tasks.config.ts'), TASKS)
  // Compiled once now, so that the runs below start at once even on a loaded machine.
  const listed = spawnSync(process.execPath, [cli, '--list'], { cwd: project, encoding: 'utf8' })
  if (listed.status !== 0) throw new Error(`run --list failed: ${listed.stderr}`)
  term = await Tmux.start({
    shell: 'bash',
    rc: '',
    cwd: project,
    width: 60,
    height: 12,
    env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` },
  })
})

afterAll(() => {
  killAll()
  rmSync(dir, { recursive: true, force: true })
})

beforeEach(async () => {
  rmSync(path.join(project, 'gates'), { recursive: true, force: true })
  mkdirSync(path.join(project, 'gates'))
  await term.freshPrompt()
})

const open = (...gates: string[]) => {
  for (const gate of gates) writeFileSync(path.join(project, 'gates', gate), '')
}

/** Runs a command line to its end; returns every byte it wrote to the terminal, and its screen. */
async function runToEnd(line: string): Promise<{ bytes: string; screen: string }> {
  const file = path.join(dir, `run-${++runs}.bytes`)
  term.record(file)
  term.type(`${line}; echo "exit=$?"`)
  term.press('Enter')
  const screen = await term.waitFor(/^exit=\d+$/m, 30_000)
  await until(() => existsSync(file) && /exit=\d+/.test(readFileSync(file, 'latin1')), 5000, 'the recording to catch up')
  term.record()
  return { bytes: readFileSync(file, 'latin1'), screen }
}

it('stays at the bottom while output scrolls above it, makes way for an unfinished line, and is erased at the end', async () => {
  const file = path.join(dir, 'scroll.bytes')
  term.record(file)
  term.type('run all')
  term.press('Enter')
  // lint's line may come before build's 16 and scroll out of the 12-line screen: it is looked for in the scrollback.
  let screen = await term.waitFor(
    (s) => /^\[0\/3\] build, lint {2}\d+s$/.test(lastLine(s)) && /build +\| 15\n/.test(s) && /lint +\| checking/.test(term.history()),
    30_000,
  )
  // 17 lines of output on a 12-line screen: they scrolled, the line stayed at the bottom, and it left no copy behind.
  expect(term.history().match(new RegExp(STATUS, 'g'))).toHaveLength(1)
  expect(screen.split('\n').at(-2)).toMatch(/^(build +\| 15|lint +\| checking)$/)

  open('build')
  screen = await term.waitFor((s) => /^\[1\/3\] lint {2}\d+s$/.test(lastLine(s)))
  expect(screen).toMatch(/build +\| built/)
  open('lint')
  // publish runs alone, so its output is not prefixed; its unfinished line is not covered by the status line.
  screen = await term.waitFor((s) => lastLine(s).endsWith('uploading 50%'))
  expect(screen).not.toMatch(STATUS)
  open('publish')
  screen = await term.waitFor((s) => lastLine(s) === '$')
  expect(screen).toMatch(/uploading 50% and done\n/)
  expect(term.history()).not.toMatch(STATUS)
  term.record()
  await until(() => readFileSync(file, 'latin1').includes('and done'), 5000, 'the recording to catch up')
  expect(readFileSync(file, 'latin1')).toContain('\r\x1b[2K[0/3] build, lint')
}, 60_000)

describe('on', () => {
  it('under --output grouped, which prints nothing while tasks run', async () => {
    open('build', 'lint', 'publish')
    const { bytes, screen } = await runToEnd('run all --output grouped')
    expect(bytes).toMatch(/\[0\/3\] build, lint/)
    expect(screen).not.toMatch(STATUS)
  })

  it('with NO_COLOR, without colour', async () => {
    open('build', 'lint', 'publish')
    const { bytes } = await runToEnd('NO_COLOR=1 run all')
    expect(bytes).toMatch(/\[0\/3\] build, lint {2}\d+s/)
    expect(bytes).not.toMatch(SGR)
  })
})

describe('off', () => {
  for (const [what, line] of [
    ['when stderr is not a terminal', 'run all 2>err.log'],
    ['in CI', 'CI=true run all'],
    ['with TERM=dumb', 'TERM=dumb run all'],
    ['with RUNTS_STATUS=0', 'RUNTS_STATUS=0 run all'],
    ['for a run of one task', 'run publish'],
  ] as const) {
    it(what, async () => {
      open('build', 'lint', 'publish')
      const { bytes, screen } = await runToEnd(line)
      expect(screen).toMatch(/^exit=0$/m)
      expect(bytes).toContain('and done')
      expect(bytes).not.toMatch(STATUS)
      expect(bytes).not.toContain('\x1b[2K')
      if (line.includes('err.log')) expect(readFileSync(path.join(project, 'err.log'), 'latin1')).not.toMatch(STATUS)
    })
  }
})
