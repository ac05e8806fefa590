/**
 * `run --why TASK` through the CLI: one line per task of the plan, with the
 * reasons the SPEC names; nothing runs, nothing is restored; exit 0.
 */
import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CachedProject, TASKS } from '../helpers/cached-project.js'

const projects: CachedProject[] = []
afterEach(() => {
  for (const p of projects.splice(0)) p.remove()
})

function project(files?: Record<string, string>): CachedProject {
  const p = new CachedProject(files)
  projects.push(p)
  return p
}

async function ok(p: CachedProject, args: string[], env?: Record<string, string | undefined>) {
  const r = await p.run(args, { env })
  expect(r.code, r.stderr).toBe(0)
  return r
}

describe('run --why', () => {
  it('says for each task whether it would run and why, running nothing', async () => {
    const p = project()
    const never = await p.run(['--why', 'build'])
    expect(never).toMatchObject({ code: 0, stdout: 'prepare  runs: no inputs declared\nbuild    runs: never ran\n' })
    expect(p.runs()).toBe(0)
    expect(existsSync(path.join(p.dir, 'dist'))).toBe(false)
    await ok(p, ['build'])
    expect(await p.why(['build'])).toEqual(['prepare  runs: no inputs declared', 'build    skips: up to date'])
    rmSync(path.join(p.dir, 'dist'), { recursive: true })
    expect((await p.why(['build']))[1]).toBe('build    skips: restores from cache')
    expect(existsSync(path.join(p.dir, 'dist'))).toBe(false)
    p.write({ 'src/app.py': 'print("changed")\n' })
    expect((await p.why(['build']))[1]).toBe('build    runs: src/app.py changed')
    p.write({ 'src/app.py': 'print("hello")\n', 'src/more.py': '' })
    expect((await p.why(['build']))[1]).toBe('build    runs: src/more.py added')
    rmSync(path.join(p.dir, 'src/more.py'))
    expect((await p.why(['build'], { env: { PYTHON: '3.13' } }))[1]).toBe('build    runs: env PYTHON changed')
    expect((await p.why(['build'], { env: { APP_TOKEN: 'a-different-secret' } }))[1]).toBe('build    runs: env APP_TOKEN changed')
    expect((await p.why(['build', '--wheel']))[1]).toBe('build    runs: args changed')
    p.write({ 'tasks.config.ts': TASKS.replace("'Build the app'", "'Build it'") })
    expect((await p.why(['build']))[1]).toBe('build    runs: task definition changed')
    // Nothing ran, nothing was restored.
    expect(p.runs()).toBe(1)
    expect(existsSync(path.join(p.dir, 'dist'))).toBe(false)
  })

  it('says a skipping task may run when a dep that runs first writes one of its inputs', async () => {
    const p = project({
      'tasks.config.ts': `
import { task, $ } from 'runts'
export const codegen = task({ inputs: ['schema.txt'], outputs: ['src/gen.py'], run: () => $\`cat schema.txt > src/gen.py\` })
export const build = task({ deps: [codegen], inputs: ['src/**'], outputs: ['dist/**'], run: () => $\`mkdir -p dist && cat src/*.py > dist/all.txt && echo build >> runs.log\` })
`,
      'schema.txt': 'v1\n',
      'src/app.py': 'app\n',
    })
    await ok(p, ['build'])
    expect(await p.why(['build'])).toEqual(['codegen  skips: up to date', 'build    skips: up to date'])
    p.write({ 'schema.txt': 'v2\n' })
    expect(await p.why(['build'])).toEqual([
      'codegen  runs: schema.txt changed',
      'build    may run: codegen runs first and writes src/gen.py',
    ])
    await ok(p, ['build'])
    expect(p.runs()).toBe(2)
    expect(p.read('dist/all.txt')).toBe('app\nv2\n')
  })

  it('counts the value of an optional variable, or its default when it is unset', async () => {
    const p = project({
      'tasks.config.ts': `
import { task, $ } from 'runts'
export const build = task({ optional: { MODE: 'fast' }, inputs: ['src/**'], run: () => $\`echo build $MODE >> runs.log\` })
`,
      'src/app.py': 'app\n',
    })
    // Unset (vitest sets MODE in its own environment): the task sees its default.
    await ok(p, ['build'], { MODE: undefined })
    expect(await p.why(['build'], { env: { MODE: 'fast' } })).toEqual(['build  skips: up to date'])
    expect(await p.why(['build'], { env: { MODE: 'slow' } })).toEqual(['build  runs: env MODE changed'])
    await ok(p, ['build'], { MODE: 'slow' })
    expect(p.read('runs.log')).toBe('build fast\nbuild slow\n')
  })
})
