/**
 * Up-to-date checks and the local cache, through the built CLI: what skips,
 * what restores, what reruns, what `run --why` says, and the statuses the
 * summary and `--report` show.
 */
import { rmSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CACHE_DIR, CachedProject, filesHolding, SECRET, TASKS } from '../helpers/cached-project.js'

const projects: CachedProject[] = []
afterEach(() => {
  for (const p of projects.splice(0)) p.remove()
})

function project(): CachedProject {
  const p = new CachedProject()
  projects.push(p)
  return p
}

/** A run that must succeed. */
async function ok(p: CachedProject, args: string[], env?: Record<string, string>) {
  const r = await p.run(args, { env })
  expect(r.code, r.stderr).toBe(0)
  return r
}

const BUILT = 'preparing\nbuilt with *** for python 3.12\n'

describe('up-to-date checks, through the CLI', () => {
  it('skips an unchanged task on the second run and shows what it printed, masked', async () => {
    const p = project()
    const first = await ok(p, ['build'])
    expect(first.stdout).toBe(BUILT)
    expect(first.stderr).toContain('warnings: none')
    expect(p.runs()).toBe(1)
    const second = await ok(p, ['build'])
    expect(p.runs()).toBe(1)
    expect(second.stdout).toBe(first.stdout)
    expect(second.stderr).toContain('warnings: none')
    expect(second.stderr).toMatch(/› up to date build/)
    expect(second.stderr).toMatch(/✓ build\s+\d+ms\s+up to date/)
    expect(second.stderr).toMatch(/2 tasks done \(1 up to date\)/)
    expect(second.stdout + second.stderr).not.toContain(SECRET)
  })

  it('does not rerun when a file is touched, or rewritten, without changing', async () => {
    const p = project()
    await ok(p, ['build'])
    const later = new Date(Date.now() + 60_000)
    utimesSync(path.join(p.dir, 'src/app.py'), later, later)
    await ok(p, ['build'])
    const earlier = new Date(Date.now() - 3600_000)
    utimesSync(path.join(p.dir, 'pyproject.toml'), earlier, earlier)
    writeFileSync(path.join(p.dir, 'src/app.py'), 'print("hello")\n')
    const r = await ok(p, ['build'])
    expect(r.stderr).toMatch(/up to date build/)
    expect(p.runs()).toBe(1)
  })

  it('reruns when an input, a variable it names, its args or its definition changed', async () => {
    const p = project()
    await ok(p, ['build'])
    p.write({ 'src/app.py': 'print("changed")\n' })
    await ok(p, ['build'])
    expect(p.runs()).toBe(2)
    expect(p.read('dist/app.txt')).toBe('print("changed")\n')
    p.write({ 'src/new.py': '' })
    await ok(p, ['build'])
    expect(p.runs()).toBe(3)
    await ok(p, ['build'], { PYTHON: '3.13' })
    expect(p.runs()).toBe(4)
    await ok(p, ['build'], { PYTHON: '3.13', APP_TOKEN: 'another-secret-value' })
    expect(p.runs()).toBe(5)
    const withArgs = await ok(p, ['build', '--wheel'], { PYTHON: '3.13', APP_TOKEN: 'another-secret-value' })
    expect(withArgs.stdout).toContain('python 3.13 --wheel')
    expect(p.runs()).toBe(6)
    p.write({ 'tasks.config.ts': TASKS.replace("'Build the app'", "'Build the app, again'") })
    await ok(p, ['build'], { PYTHON: '3.13', APP_TOKEN: 'another-secret-value' })
    expect(p.runs()).toBe(7)
    p.write({ 'tasks.config.ts': TASKS.replace('echo wheel', 'echo a wheel') })
    await ok(p, ['build'], { PYTHON: '3.13', APP_TOKEN: 'another-secret-value' })
    expect(p.runs()).toBe(8)
    expect(p.read('dist/sub/app.whl')).toBe('a wheel\n')
    // And each of those is now up to date.
    await ok(p, ['build'], { PYTHON: '3.13', APP_TOKEN: 'another-secret-value' })
    expect(p.runs()).toBe(8)
  })

  it('restores outputs that were deleted or changed, and replays what the task printed', async () => {
    const p = project()
    const first = await ok(p, ['build'])
    rmSync(path.join(p.dir, 'dist'), { recursive: true })
    const restored = await ok(p, ['--report', 'report.json', 'build'])
    expect(p.runs()).toBe(1)
    expect(p.read('dist/app.txt')).toBe('print("hello")\n')
    expect(p.read('dist/sub/app.whl')).toBe('wheel\n')
    expect(restored.stdout).toBe(first.stdout)
    expect(restored.stderr).toMatch(/› restored build/)
    expect(restored.stderr).toMatch(/✓ build\s+\d+ms\s+restored/)
    expect(restored.stderr).toMatch(/2 tasks done \(1 restored\)/)
    const report = JSON.parse(p.read('report.json')) as { tasks: Array<{ name: string; status: string }> }
    expect(report.tasks.map((t) => [t.name, t.status])).toEqual([
      ['prepare', 'ok'],
      ['build', 'restored'],
    ])
    p.write({ 'dist/app.txt': 'tampered\n' })
    await ok(p, ['build'])
    expect(p.read('dist/app.txt')).toBe('print("hello")\n')
    await ok(p, ['--report', 'report.json', 'build'])
    const again = JSON.parse(p.read('report.json')) as { tasks: Array<{ name: string; status: string }> }
    expect(again.tasks.map((t) => t.status)).toEqual(['ok', 'up-to-date'])
    expect(p.runs()).toBe(1)
  })

  it('runs and records with --force and -B', async () => {
    const p = project()
    await ok(p, ['-B', 'build'])
    expect(p.runs()).toBe(1)
    await ok(p, ['build'])
    expect(p.runs()).toBe(1)
    const forced = await ok(p, ['--force', 'build'])
    expect(forced.stderr).toMatch(/› start build/)
    expect(p.runs()).toBe(2)
    // What the forced run recorded: another input, run with --force, is then up to date.
    p.write({ 'src/other.py': 'x = 1\n' })
    await ok(p, ['-B', 'build'])
    expect(p.runs()).toBe(3)
    await ok(p, ['build'])
    expect(p.runs()).toBe(3)
    expect(await p.why(['-B', 'build'])).toEqual(['prepare  runs: no inputs declared', 'build    runs: forced (--force)'])
  })

  it('keeps the start and the end of a long output, bounded, and says what it left out', async () => {
    const p = new CachedProject({
      'tasks.config.ts': `
import { task, $ } from 'runts'
export const noisy = task({ inputs: ['src/**'], run: () => $\`echo first line; seq 1 5000000 | sed 's/^/progress /'; echo last line\` })
`,
      'src/app.py': '',
    })
    projects.push(p)
    const first = await ok(p, ['noisy'])
    expect(first.stdout.length).toBeGreaterThan(40 * 1024 * 1024)
    const replay = await ok(p, ['noisy'])
    expect(replay.stderr).toMatch(/up to date noisy/)
    expect(replay.stdout.startsWith('first line\nprogress 1\n')).toBe(true)
    expect(replay.stdout.endsWith('progress 5000000\nlast line\n')).toBe(true)
    // 8 MiB of each end, give or take the pipe's chunk at the cut.
    expect(replay.stdout.length).toBeLessThanOrEqual(16.25 * 1024 * 1024)
    expect(replay.stderr).toMatch(/\[runts: \d+\.\d MiB of this task's output left out of the cache\]/)
  })

  it('never stores a secret value in the cache folder', async () => {
    const p = project()
    await ok(p, ['build', SECRET])
    rmSync(path.join(p.dir, 'dist'), { recursive: true })
    const r = await ok(p, ['build', SECRET])
    expect(r.stderr).toMatch(/restored build/)
    expect(r.stdout).toBe(`preparing\nbuilt with *** for python 3.12 ***\n`)
    // It was in the task's env, its args and what it printed: the cache keeps only salted hashes and masked text.
    expect(filesHolding(path.join(p.dir, CACHE_DIR), SECRET)).toEqual([])
    expect(filesHolding(path.join(p.dir, CACHE_DIR), 'built with ***')).not.toEqual([])
    expect(p.entries().length).toBe(1)
  })
})
