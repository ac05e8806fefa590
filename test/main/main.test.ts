import { existsSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runMain } from '../helpers/fake-io.js'
import { Project } from '../helpers/project.js'

const TASKS = `
import { task, parallel, $, env } from 'runts'

export const clean = task({ description: 'Remove build output', run: () => $\`rm -rf out\` })
export const build = task({ description: 'Build', deps: [clean], run: () => $\`mkdir -p out && echo built > out/x\` })
export const lint = task({ run: () => $\`echo linting\` })
export const test = task({ run: ({ args }) => $\`echo test args: \${args}\` })
export const publishTest = task({
  name: 'publish:test',
  env: ['TEST_REGISTRY', 'TEST_TOKEN'],
  deps: [build],
  run: () => $\`echo publish to \${env.TEST_REGISTRY} with \${env.TEST_TOKEN}\`,
})
export const releaseTest = task({ name: 'release:test', deps: [parallel(lint, test), clean, build, publishTest] })
export const prod = task({ confirm: 'Really?', run: () => $\`echo prod\` })
export const fails = task({ run: () => $\`echo nope; exit 4\` })
export const throws = task(() => { throw new Error('broken ' + env.TEST_TOKEN) })
export async function hello() { console.log('hi') }
`

describe('main() with fake I/O', () => {
  let project: Project
  beforeAll(() => {
    project = new Project({ 'tasks.config.ts': TASKS, '.env': 'TEST_REGISTRY=http://reg.example\nTEST_TOKEN=tok-123456\n' })
  })
  const run = (argv: string[], more: Partial<Parameters<typeof runMain>[1]> = {}) => runMain(argv, { cwd: project.dir, ...more })

  it('lists tasks with descriptions by default', async () => {
    const r = await run([])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^ {2}build +Build$/m)
    expect(r.stdout).toMatch(/^ {2}publish:test +runs build$/m)
    expect(r.stdout).not.toContain('private')
  })

  it('lists JSON', async () => {
    const r = await run(['--list', '--json'])
    const rows = JSON.parse(r.stdout) as Array<{ name: string; description: string; deps: string[] }>
    expect(rows.find((t) => t.name === 'release:test')?.deps).toEqual(['lint', 'test', 'clean', 'build', 'publish:test'])
    expect(rows.find((t) => t.name === 'build')?.description).toBe('Build')
  })

  it('runs deps in order, once each, and masks secrets in command output', async () => {
    const r = await run(['--jobs', '1', 'release:test'])
    expect(r.stderr).toContain('6 tasks done')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('publish to http://reg.example with ***')
    expect(r.stdout).not.toContain('tok-123456')
    const starts = [...r.stderr.matchAll(/› start (\S+)/g)].map((m) => m[1])
    expect(starts).toEqual(['lint', 'test', 'clean', 'build', 'publish:test'])
    expect(existsSync(path.join(project.dir, 'out', 'x'))).toBe(true)
  })

  it('passes arguments to the task', async () => {
    const r = await run(['test', '--watch', 'a b'])
    expect(r.stdout).toContain('test args: --watch a b')
  })

  it('prints the plan on a dry run and runs nothing', async () => {
    const r = await run(['--dry-run', 'release:test'])
    expect(r.stdout).toBe('lint\ntest\nclean\nbuild\npublish:test\nrelease:test\n')
    expect(r.stderr).not.toContain('start')
  })

  it('traces commands with -x, masked', async () => {
    const r = await run(['-x', 'publish:test'])
    expect(r.stderr).toContain('$ echo publish to http://reg.example with ***')
  })

  it('names every missing variable and runs nothing', async () => {
    const bare = new Project({ 'tasks.config.ts': TASKS })
    const r = await runMain(['release:test'], { cwd: bare.dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('TEST_REGISTRY  (needed by publish:test)')
    expect(r.stderr).toContain('TEST_TOKEN  (needed by publish:test)')
    expect(r.stderr).not.toContain('start')
  })

  it('refuses a confirm without a terminal, asks with one, and runs with --yes', async () => {
    const none = await run(['prod'])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain("'prod' asks for confirmation")
    const declined = await run(['prod'], { interactive: true, answers: [false] })
    expect(declined.asked).toEqual(["Really? (task 'prod') [y/N] "])
    expect(declined.code).toBe(1)
    expect(declined.stdout).not.toContain('prod')
    const accepted = await run(['prod'], { interactive: true, answers: [true] })
    expect(accepted.stdout).toContain('prod')
    expect((await run(['--yes', 'prod'])).code).toBe(0)
  })

  it('reports a failing command with its code', async () => {
    const r = await run(['fails'])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain("task 'fails' failed: a command exited with code 4")
    expect(r.stderr).toContain('$ echo nope; exit 4')
  })

  it('reports a task that throws with the tasks file line, masked', async () => {
    const r = await run(['throws'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("task 'throws' threw: broken ***")
    expect(r.stderr).toMatch(/at tasks\.config\.ts:17:42/)
  })

  it('suggests near names for an unknown task', async () => {
    const r = await run(['biuld'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("no task named 'biuld'")
    expect(r.stderr).toContain("did you mean 'build'")
  })

  it('prints help and version', async () => {
    expect((await run(['--help'])).stdout).toContain('--dry-run')
    expect((await run(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/)
  })
})
