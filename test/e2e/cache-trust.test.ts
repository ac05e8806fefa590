/**
 * A cache you can trust, through the CLI (issue 20): an input edited while its
 * task runs records nothing; absolute inputs are the project's or refused; a
 * pinned mtime does not hide a change; links to folders are followed and an
 * exclude that names the include's folder holds; `run --why` says what the run
 * then does; a secret cut by the 8 MiB bound of kept output is never stored.
 */
import { existsSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CACHE_DIR, CachedProject, filesHolding } from '../helpers/cached-project.js'
import { until } from '../helpers/processes.js'
import { repo } from '../helpers/project.js'

const projects: CachedProject[] = []
afterEach(() => {
  for (const p of projects.splice(0)) p.remove()
})

function project(tasks: string, files: Record<string, string> = {}): CachedProject {
  const p = new CachedProject({ 'tasks.config.ts': `import { task, $, env } from 'runts'\n${tasks}`, ...files })
  p.env = {}
  projects.push(p)
  return p
}

async function ok(p: CachedProject, args: string[]) {
  const r = await p.run(args)
  expect(r.code, r.stderr).toBe(0)
  return r
}

describe('what a run records', () => {
  it('nothing when an input changed while the task ran, and says which', async () => {
    const p = project(
      "export const build = task({ inputs: ['src/**'], outputs: ['dist/**'], run: () => $`echo build >> runs.log; touch started; while [ ! -f go ]; do sleep 0.05; done; mkdir -p dist && cp src/app.py dist/out.txt` })",
      { 'src/app.py': 'v1\n' },
    )
    const running = p.run(['build'])
    await until(() => existsSync(path.join(p.dir, 'started')), 20_000, 'build to start')
    // The build reads the edited file, under the fingerprint taken before the edit.
    p.write({ 'src/app.py': 'v2\n', go: '' })
    const r = await running
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain('warning: src/app.py changed while build ran, so nothing was recorded: it runs again next time')
    expect(p.entries()).toEqual([])
    // Back to the first content: the output built from v2 must not count as v1's.
    p.write({ 'src/app.py': 'v1\n' })
    expect(await p.why(['build'])).toEqual(['build  runs: never ran'])
    await ok(p, ['build'])
    expect(p.read('dist/out.txt')).toBe('v1\n')
    expect(p.runs()).toBe(2)
    expect((await ok(p, ['build'])).stderr).toMatch(/up to date build/)
  })
})

describe('what a cache entry holds', () => {
  it('never the content of a file outside the project (or in .git/) that an output links to: nothing is recorded', async () => {
    const outside = path.join(os.tmpdir(), `runts-outside-${process.pid}-${Date.now()}`)
    writeFileSync(outside, 'a secret of the home folder\n')
    try {
      const p = project(
        `export const build = task({ inputs: ['src/**'], outputs: ['dist/**'], run: () => $\`echo build >> runs.log; mkdir -p dist && cp src/app.py dist/app.txt && ln -sf \${process.env.LINKED} dist/linked.txt\` })`,
        { 'src/app.py': 'v1\n', '.git/config': '[remote "origin"]\n\turl = https://user:token@example.com/x\n' },
      )
      for (const [linked, shown] of [
        [outside, 'dist/linked.txt'],
        [path.join(p.dir, '.git/config'), 'dist/linked.txt'],
      ]) {
        const r = await p.run(['build'], { env: { LINKED: linked } })
        expect(r.code, r.stderr).toBe(0)
        expect(r.stderr).toContain(`warning: build's output ${shown} is a link out of the project (or into .git/); it was not cached`)
        expect(p.entries()).toEqual([])
        expect(filesHolding(path.join(p.dir, CACHE_DIR), 'secret of the home folder')).toEqual([])
      }
      expect(await p.why(['build'])).toEqual(['build  runs: never ran'])
      // A link inside the project is kept, as the file it leads to.
      const inside = await p.run(['build'], { env: { LINKED: path.join(p.dir, 'src/app.py') } })
      expect(inside.stderr).not.toMatch(/warning/)
      expect(p.entries()).toHaveLength(1)
    } finally {
      rmSync(outside, { force: true })
    }
  })
})

describe('inputs', () => {
  it('takes an absolute input inside the project as the project path, and refuses one outside', async () => {
    // A tasks file that builds its input from the folder it runs in (the project root).
    const tasks = ['export const build = task({ inputs: [`$', '{process.cwd()}/src/**`], run: () => $`echo build >> runs.log` })'].join('')
    const p = project(tasks, {
      'src/app.py': 'v1\n',
    })
    await ok(p, ['build'])
    expect((await ok(p, ['build'])).stderr).toMatch(/up to date build/)
    p.write({ 'src/app.py': 'v2\n' })
    expect(await p.why(['build'])).toEqual(['build  runs: src/app.py changed'])
    await ok(p, ['build'])
    expect(p.runs()).toBe(2)
    const outside = project(`export const build = task({ inputs: [${JSON.stringify(`${os.tmpdir()}/**`)}], run: () => {} })`)
    const r = await outside.run(['build'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`task 'build' has an input outside the project: "${os.tmpdir()}/**"`)
    // The same relative: the fingerprint would read it, `--watch` (which watches the project) never.
    for (const glob of ['../shared/**', 'src/../../shared/x.txt', '!..']) {
      const relative = project(`export const build = task({ inputs: ['src/**', ${JSON.stringify(glob)}], run: () => {} })`)
      const refused = await relative.run(['--why', 'build'])
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain(`task 'build' has an input outside the project: ${JSON.stringify(glob)}`)
    }
    // `..` that stays inside is a path like any other.
    const inside = project("export const build = task({ inputs: ['src/../lib/**'], run: () => $`echo build >> runs.log` })", {
      'lib/a.txt': 'v1\n',
    })
    await ok(inside, ['build'])
    inside.write({ 'lib/a.txt': 'v2\n' })
    expect(await inside.why(['build'])).toEqual(['build  runs: lib/a.txt changed'])
  })

  it('reads an input whose content changed under a pinned size and mtime', async () => {
    // gen writes its output and pins its time, as `touch -d`, `cp -p`, `tar -x` and SOURCE_DATE_EPOCH builds do.
    const p = project(
      `
export const gen = task({ inputs: ['schema.txt'], outputs: ['gen/**'], run: () => $\`mkdir -p gen && cat schema.txt > gen/out.txt && touch -d @1577836800 gen/out.txt\` })
export const build = task({ deps: [gen], inputs: ['gen/**'], outputs: ['dist/**'], run: () => $\`echo build >> runs.log; mkdir -p dist && cp gen/out.txt dist/\` })
`,
      { 'schema.txt': 'aaaa\n' },
    )
    await ok(p, ['build'])
    p.write({ 'schema.txt': 'bbbb\n' })
    const r = await ok(p, ['build'])
    expect(r.stderr).toMatch(/start build/)
    expect(p.read('dist/out.txt')).toBe('bbbb\n')
    expect(p.runs()).toBe(2)
  })

  it('follows a link to a folder inside an input glob, and keeps out a folder its exclude names', async () => {
    const p = project(
      `
export const build = task({ inputs: ['src/**'], run: () => $\`echo build >> runs.log\` })
export const docs = task({ inputs: ['src/**', '!src/**', 'mkdocs.yml'], run: () => $\`echo docs >> runs.log\` })
`,
      { 'src/app.py': '', 'vendor/lib/util.py': 'v1\n', 'mkdocs.yml': '' },
    )
    symlinkSync('../vendor/lib', path.join(p.dir, 'src/lib'))
    await ok(p, ['build'])
    await ok(p, ['docs'])
    p.write({ 'vendor/lib/util.py': 'v2\n', 'src/app.py': 'changed' })
    expect(await p.why(['build'])).toEqual(['build  runs: src/app.py changed (and 1 more)'])
    expect(await p.why(['docs'])).toEqual(['docs  skips: up to date'])
    p.write({ 'src/app.py': '' })
    expect(await p.why(['build'])).toEqual(['build  runs: src/lib/util.py changed'])
  })
})

describe('run --why says what the run then does', () => {
  const TASKS = `
export const clean = task({ description: 'Remove dist/', run: () => $\`rm -rf dist\` })
export const build = task({ inputs: ['src/**'], outputs: ['dist/**'], run: () => $\`echo build >> runs.log; mkdir -p dist && cp src/app.py dist/app.txt\` })
export const release = task({ name: 'release:prod', deps: [clean, build] })
`

  it('for an entry whose output log is gone: runs', async () => {
    const p = project(TASKS, { 'src/app.py': 'v1\n' })
    await ok(p, ['build'])
    const [key] = p.entries()
    rmSync(path.join(p.dir, CACHE_DIR, 'tasks', 'entries', key!, 'output.log'))
    expect(await p.why(['build'])).toEqual(['build  runs: its cache entry cannot be used (its output log is missing)'])
    const r = await ok(p, ['build'])
    expect(r.stderr).toMatch(/start build/)
    expect(r.stderr).toContain("warning: build's cache entry cannot be used (its output log is missing); it runs")
    expect(p.runs()).toBe(2)
    expect(await p.why(['build'])).toEqual(['build  skips: up to date'])
  })

  it('for a task whose outputs a task before it removes: restores', async () => {
    const p = project(TASKS, { 'src/app.py': 'v1\n' })
    await ok(p, ['build'])
    expect(await p.why(['release:prod'])).toEqual([
      'clean         runs: no inputs declared',
      'build         skips: up to date, or restores from cache if clean (which runs first) changes dist',
      'release:prod  runs its deps only',
    ])
    const r = await ok(p, ['--report', 'report.json', 'release:prod'])
    expect(r.stderr).toMatch(/› restored build/)
    expect(p.read('dist/app.txt')).toBe('v1\n')
    expect(p.runs()).toBe(1)
  })
})

describe('run --why and the run, when an output folder cannot be made', () => {
  it('for a link to nothing or a file where the folder goes: runs, both, and the run tries no restore', async () => {
    const p = project(
      "export const build = task({ inputs: ['src/**'], outputs: ['dist/**'], run: () => $`echo build >> runs.log; rm -rf dist && mkdir -p dist/sub && cp src/app.py dist/sub/app.txt` })",
      { 'src/app.py': 'v1\n' },
    )
    await ok(p, ['build'])
    const gone = path.join(os.tmpdir(), `runts-gone-${process.pid}-${Date.now()}`)
    for (const [lay, why] of [
      [() => symlinkSync(gone, path.join(p.dir, 'dist')), 'dist is a link to nothing'],
      [() => p.write({ dist: 'a file\n' }), 'dist is a file, not a folder'],
    ] as const) {
      rmSync(path.join(p.dir, 'dist'), { recursive: true, force: true })
      lay()
      expect(await p.why(['build'])).toEqual([`build  runs: its outputs cannot be restored (${why})`])
      const r = await ok(p, ['build'])
      expect(r.stderr).not.toMatch(/could not restore/)
      expect(r.stderr).toMatch(/start build/)
      expect(p.read('dist/sub/app.txt')).toBe('v1\n')
      expect(existsSync(gone)).toBe(false)
    }
    expect(p.runs()).toBe(3)
  })
})

describe('a task that removes the cache', () => {
  it('makes --why say that a later task may run, and leaves the salt of the states written after it', async () => {
    const p = project(
      `
export const clean = task({ run: () => $\`rm -rf dist node_modules/.cache/runts\` })
export const build = task({ env: ['PYTHON'], inputs: ['src/**'], outputs: ['dist/**'], run: () => $\`echo build >> runs.log; mkdir -p dist && cp src/app.py dist/\` })
export const release = task({ deps: [clean, build] })
`,
      { 'src/app.py': 'v1\n' },
    )
    p.env = { PYTHON: '3.12' }
    await ok(p, ['build'])
    expect(await p.why(['release'])).toEqual([
      'clean    runs: no inputs declared',
      'build    may run: clean runs first and may remove the cache (node_modules/.cache/runts)',
      'release  runs its deps only',
    ])
    await ok(p, ['release'])
    expect(p.runs()).toBe(2)
    // The state build wrote after clean is salted as the next run salts: only what changed is named.
    p.write({ 'src/app.py': 'v2\n' })
    expect(await p.why(['build'])).toEqual(['build  runs: src/app.py changed'])
  })
})

describe('kept output', () => {
  it('never stores part of a secret that the 8 MiB bound cuts through', async () => {
    // One line of 40 MiB (17 MiB masked), a 7-character secret back to back: wherever the bound cuts it, it cuts a secret
    // (unless the cut falls on a multiple of 7), at the end of the kept start and at the start of the kept end.
    const secret = 'Zq7xK2p'
    const p = project(
      "export const noisy = task({ inputs: ['src/**'], run: () => $`node -e 'const s = process.env.APP_TOKEN; process.stdout.write(s.repeat(Math.ceil(40 * 1024 * 1024 / s.length)) + \"\\\\n\")'` })",
      { 'src/app.py': '', '.env': `APP_TOKEN=${secret}\n` },
    )
    const first = await ok(p, ['noisy'])
    expect(first.stdout.length).toBeGreaterThan(16 * 1024 * 1024)
    expect(first.stdout.replaceAll('***', '')).toBe('\n')
    const replay = await ok(p, ['noisy'])
    expect(replay.stderr).toMatch(/up to date noisy/)
    expect(replay.stderr).toMatch(/left out of the cache/)
    // Masked before the cut: nothing but the mask, however the cut fell.
    expect(replay.stdout.replaceAll('*', '')).toBe('\n')
  })
})

describe("the cache's own code", () => {
  it('loads through a code cache kept beside the package, not in the temp folder that every install shares', async () => {
    const p = project("export const build = task({ inputs: ['src/**'], run: () => {} })", { 'src/app.py': '' })
    await ok(p, ['build'])
    await ok(p, ['build'])
    const extra = path.join(repo, 'dist', 'extras', 'cache.cjs')
    const { size, mtimeMs } = statSync(extra)
    const name = `cache.cjs-${process.version}-${process.arch}-${size}-${Math.floor(mtimeMs)}-full.v8`
    expect(existsSync(path.join(repo, 'node_modules', '.cache', 'runts', name))).toBe(true)
  })
})
