/**
 * What the cache records, through the CLI: nothing for a task that fails, is
 * stopped or times out (even when its command exits 0 on the signal), never
 * outputs half-written; and a branch switched away and back rebuilds nothing.
 */
import type { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CachedProject } from '../helpers/cached-project.js'
import { GitRepo } from '../helpers/git-repo.js'
import { tagProcesses, until } from '../helpers/processes.js'
import { cli, repo, runProcess } from '../helpers/project.js'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const clean of cleanups.splice(0)) clean()
})

/**
 * `build` writes half of dist/ and then does what MODE says: fail, hang (to be stopped, or to time out),
 * exit 0 when it is stopped (a trap), or finish. MODE is neither an input nor a variable it names.
 */
const HALF = `
import { task, parallel, $ } from 'runts'
export const build = task({
  inputs: ['src/**'],
  outputs: ['dist/**'],
  timeout: Number(process.env.LIMIT ?? 60000),
  run: () => $\`echo build >> runs.log
    if [ "$MODE" = trap ]; then trap 'echo stopped > dist/b.txt; exit 0' INT TERM; fi
    mkdir -p dist && echo half > dist/a.txt && touch started
    case "$MODE" in
      fail) exit 3 ;;
      hang) sleep 60 ;;
      trap) sleep 60 & wait ;;
    esac
    cat src/app.py > dist/a.txt && echo whole > dist/b.txt\`,
})
// Fails once build has started: the run stops build.
export const failing = task(() => $\`while [ ! -f started ]; do sleep 0.05; done; exit 4\`)
export const both = task({ deps: [parallel(build, failing)] })
`

function project(): CachedProject {
  const p = new CachedProject({ 'tasks.config.ts': HALF, 'src/app.py': 'v1\n' })
  cleanups.push(() => p.remove())
  return p
}

/** Runs build with MODE; once it has started, sends `signal` to runts when one is given. */
async function build(
  p: CachedProject,
  mode: string,
  options: { signal?: NodeJS.Signals; env?: Record<string, string>; task?: string[] } = {},
) {
  const tagged = tagProcesses()
  const started = path.join(p.dir, 'started')
  rmSync(started, { force: true })
  let child: ReturnType<typeof spawn> | undefined
  const result = p.run(options.task ?? ['build'], { env: { MODE: mode, ...tagged.env, ...options.env }, onStart: (c) => (child = c) })
  if (options.signal) {
    await until(() => existsSync(started) && tagged.running(/sleep 60/).length > 0, 20_000, 'the task to start')
    child!.kill(options.signal)
  }
  const r = await result
  await until(() => tagged.running().length === 0, 10_000, 'its commands to end')
  return r
}

/** After a run that must record nothing: no entry, and the next run runs the task and stores whole outputs. */
async function recordedNothing(p: CachedProject, runsBefore: number) {
  expect(p.entries()).toEqual([])
  expect(await p.why(['build'])).toEqual(['build  runs: never ran'])
  const r = await build(p, 'ok')
  expect(r.code, r.stderr).toBe(0)
  expect(p.runs()).toBe(runsBefore + 1)
  expect(p.read('dist/a.txt')).toBe('v1\n')
  expect(p.entries()).toHaveLength(1)
}

describe('what a run records', () => {
  it('nothing for a task that fails', async () => {
    const p = project()
    const r = await build(p, 'fail')
    expect(r.code).toBe(3)
    await recordedNothing(p, 1)
  })

  it('nothing for a task stopped by Ctrl-C', async () => {
    const p = project()
    const r = await build(p, 'hang', { signal: 'SIGINT' })
    expect(r.code).toBe(130)
    await recordedNothing(p, 1)
  })

  it('nothing for a task whose command exits 0 when it is stopped', async () => {
    const p = project()
    const r = await build(p, 'trap', { signal: 'SIGTERM' })
    expect(r.code).toBe(143)
    expect(p.read('dist/b.txt')).toBe('stopped\n')
    await recordedNothing(p, 1)
  })

  it('shows a task whose command exits 0 on Ctrl-C as stopped, not done, in the summary and --report', async () => {
    const p = project()
    const r = await build(p, 'trap', { signal: 'SIGINT', task: ['--report', 'report.json', 'build'] })
    expect(r.code).toBe(130)
    expect(p.read('dist/b.txt')).toBe('stopped\n')
    expect(r.stderr).toMatch(/■ build\s+\S+\s+stopped/)
    expect(r.stderr).toMatch(/✗ 0 done, 1 stopped in/)
    expect(r.stderr).not.toMatch(/✓ build/)
    const report = JSON.parse(p.read('report.json')) as { tasks: Array<{ name: string; status: string }> }
    expect(report.tasks.map((t) => [t.name, t.status])).toEqual([['build', 'cancelled']])
    await recordedNothing(p, 1)
  })

  it('nothing for a task whose command exits 0 when a failure elsewhere stops it', async () => {
    const p = project()
    const r = await build(p, 'trap', { task: ['--jobs', '2', 'both'] })
    expect(r.code).toBe(4)
    expect(p.read('dist/b.txt')).toBe('stopped\n')
    expect(r.stderr).toMatch(/✗ failing/)
    await recordedNothing(p, 1)
  })

  it('nothing for a task that times out', async () => {
    const p = project()
    const r = await build(p, 'hang', { env: { LIMIT: '1500' } })
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/timed out/)
    await recordedNothing(p, 1)
  })

  it('never the half-written outputs of a failed run: going back restores the whole ones', async () => {
    const p = project()
    expect((await build(p, 'ok')).code).toBe(0)
    p.write({ 'src/app.py': 'v2\n' })
    expect((await build(p, 'fail')).code).toBe(3)
    expect(p.read('dist/a.txt')).toBe('half\n')
    p.write({ 'src/app.py': 'v1\n' })
    const r = await build(p, 'fail')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/restored build/)
    expect(p.runs()).toBe(2)
    expect([p.read('dist/a.txt'), p.read('dist/b.txt')]).toEqual(['v1\n', 'whole\n'])
  })
})

describe('switching branches', () => {
  it('rebuilds nothing when coming back to a branch already built', async () => {
    const g = new GitRepo({
      '.gitignore': 'node_modules/\ndist/\nruns.log\nstarted\n',
      'tasks.config.ts': HALF,
      'src/app.py': 'on main\n',
    })
    cleanups.push(() => g.remove())
    mkdirSync(path.join(g.dir, 'node_modules'))
    symlinkSync(repo, path.join(g.dir, 'node_modules', 'runts'))
    g.git('checkout', '-q', '-b', 'feature')
    g.write({ 'src/app.py': 'on feature\n', 'src/extra.py': 'x = 1\n' }).commit('feature')
    g.git('checkout', '-q', 'main')
    const run = () => runProcess(process.execPath, [cli, 'build'], { cwd: g.dir, env: { MODE: 'ok' } })
    expect((await run()).code).toBe(0)
    g.git('checkout', '-q', 'feature')
    expect((await run()).stderr).toMatch(/start build/)
    g.git('checkout', '-q', 'main')
    const back = await run()
    expect(back.code, back.stderr).toBe(0)
    expect(back.stderr).toMatch(/› restored build/)
    g.git('checkout', '-q', 'feature')
    expect((await run()).stderr).toMatch(/› restored build/)
    expect(readFileSync(path.join(g.dir, 'runs.log'), 'utf8')).toBe('build\nbuild\n')
    expect(readFileSync(path.join(g.dir, 'dist/a.txt'), 'utf8')).toBe('on feature\n')
    expect(g.git('status', '--porcelain')).toBe('')
  })
})
