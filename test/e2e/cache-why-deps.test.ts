/**
 * `run --why` through the CLI when a task reads what a dep writes: each task
 * is judged on the files as its deps will leave them, so what `--why` says is
 * what the run then does. A dep restored from the local cache, after `rm`
 * and after a branch switch away and back; from the shared cache, in a fresh
 * clone; and a dep that runs first, which leaves the task unknown.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CachedProject } from '../helpers/cached-project.js'
import { startCacheServer } from '../helpers/remote-cache-server.js'

/** `gen` writes gen/all.txt from src/ (comment lines left out); `build` copies it into dist/. */
const tasks = (buildInputs: string) => `
import { task, $ } from 'runts'
export const gen = task({
  inputs: ['src/**'],
  outputs: ['gen/**'],
  run: () => $\`echo gen >> runs.log; mkdir -p gen && cat src/*.txt | grep -v '^#' > gen/all.txt\`,
})
export const build = task({
  deps: [gen],
  inputs: [${buildInputs}],
  outputs: ['dist/**'],
  run: () => $\`echo build >> runs.log; mkdir -p dist && cp gen/all.txt dist/out.txt\`,
})
`
const FILES = { 'tasks.config.ts': tasks("'gen/**'"), 'src/a.txt': 'a\n' }

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const clean of cleanups.splice(0)) await clean()
})

function project(files: Record<string, string> = FILES, env: Record<string, string> = {}): CachedProject {
  const p = new CachedProject(files)
  p.env = env
  cleanups.push(() => p.remove())
  return p
}

/** A run that must succeed: its summary line. */
async function ok(p: CachedProject, args: string[]): Promise<string> {
  const r = await p.run(args)
  expect(r.code, r.stderr).toBe(0)
  return r.stderr.split('\n').find((line) => line.includes('tasks done')) ?? r.stderr
}

function git(p: CachedProject, ...args: string[]): void {
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }
  const who = ['-c', 'user.name=Test', '-c', 'user.email=test@example.org']
  execFileSync('git', [...who, ...args], { cwd: p.dir, env, stdio: 'pipe' })
}

describe('run --why, when a task reads what a dep writes', () => {
  it('judges the task on the files a dep restores from the local cache first', async () => {
    const p = project()
    await ok(p, ['build'])
    rmSync(path.join(p.dir, 'gen'), { recursive: true })
    expect(await p.why(['build'])).toEqual(['gen    skips: restores from cache', 'build  skips: up to date once gen restores gen/all.txt'])
    expect(existsSync(path.join(p.dir, 'gen'))).toBe(false)
    expect(await ok(p, ['build'])).toMatch(/2 tasks done \(1 up to date, 1 restored\)/)
    for (const folder of ['gen', 'dist']) rmSync(path.join(p.dir, folder), { recursive: true })
    expect(await p.why(['build'])).toEqual([
      'gen    skips: restores from cache',
      'build  skips: restores from cache once gen restores gen/all.txt',
    ])
    expect(await ok(p, ['build'])).toMatch(/2 tasks done \(2 restored\)/)
    expect(p.runs()).toBe(2)
    expect(p.read('dist/out.txt')).toBe('a\n')
  })

  it('judges the task on what gen restores after a branch switch away and back', async () => {
    const p = project({ ...FILES, 'tasks.config.ts': tasks("'src/**', 'gen/**'"), '.gitignore': 'node_modules/\ngen/\ndist/\nruns.log\n' })
    git(p, 'init', '-q', '-b', 'main')
    git(p, 'add', '-A')
    git(p, 'commit', '-q', '-m', 'a')
    await ok(p, ['build'])
    git(p, 'checkout', '-q', '-b', 'feature')
    p.write({ 'src/b.txt': 'b\n' })
    git(p, 'add', '-A')
    git(p, 'commit', '-q', '-m', 'b')
    await ok(p, ['build'])
    git(p, 'checkout', '-q', 'main')
    expect(existsSync(path.join(p.dir, 'src/b.txt'))).toBe(false)
    expect(await p.why(['build'])).toEqual([
      'gen    skips: restores from cache',
      'build  skips: restores from cache once gen restores gen/all.txt',
    ])
    expect(await ok(p, ['build'])).toMatch(/2 tasks done \(2 restored\)/)
    expect(p.runs()).toBe(4)
    expect(p.read('dist/out.txt')).toBe('a\n')
  })

  it('says the task may run when the only inputs that differ are what a dep running first writes', async () => {
    const p = project()
    await ok(p, ['build'])
    rmSync(path.join(p.dir, 'gen'), { recursive: true })
    // A comment: gen runs again, and writes what it wrote before.
    p.write({ 'src/a.txt': '# a comment\na\n' })
    const unsure = ['gen    runs: src/a.txt changed', 'build  may run: gen/all.txt removed, but gen runs first and writes gen/**']
    expect(await p.why(['build'])).toEqual(unsure)
    expect(await ok(p, ['build'])).toMatch(/2 tasks done \(1 up to date\)/)
    rmSync(path.join(p.dir, 'gen'), { recursive: true })
    p.write({ 'src/a.txt': 'b\n' })
    expect(await p.why(['build'])).toEqual(unsure)
    expect(await ok(p, ['build'])).toMatch(/2 tasks done in/)
    expect(p.runs()).toBe(5)
    expect(p.read('dist/out.txt')).toBe('b\n')
  })

  it('judges the task on what gen restores from the shared cache in a fresh clone', async () => {
    const server = await startCacheServer()
    cleanups.push(() => server.stop())
    const remote = { RUNTS_REMOTE_CACHE_URL: server.url, RUNTS_REMOTE_CACHE_TOKEN: server.token, RUNTS_REMOTE_CACHE_TEAM: 'why' }
    const a = project(FILES, remote)
    const built = await a.run(['build'])
    expect(built.code, built.stderr).toBe(0)
    expect(built.stderr).not.toContain('remote cache') // its uploads went through
    const b = project(FILES, remote)
    const why = await b.run(['--why', 'build'])
    expect(why).toMatchObject({ code: 0, stderr: '' })
    expect(why.stdout.trimEnd().split('\n')).toEqual([
      'gen    skips: restores from cache',
      'build  skips: restores from cache once gen restores gen/all.txt',
    ])
    expect(existsSync(path.join(b.dir, 'gen'))).toBe(false)
    expect(await ok(b, ['build'])).toMatch(/2 tasks done \(2 restored\)/)
    expect(b.runs()).toBe(0)
    expect(b.read('dist/out.txt')).toBe('a\n')
  })
})
