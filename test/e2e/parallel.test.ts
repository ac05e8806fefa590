/** Parallel runs and process control, through the built CLI. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { tagProcesses } from '../helpers/processes.js'
import { Project } from '../helpers/project.js'

const TASKS = `
import { task, parallel, $ } from 'runts'
const long = task({ name: 'long', run: () => $\`echo long started; sleep 60; echo long finished\` })
const medium = task({ name: 'medium', run: () => $\`sleep 1; echo medium finished\` })
const bad = task({ name: 'bad', run: () => $\`sleep 0.3; exit 7\` })
const afterBad = task({ name: 'after-bad', deps: [bad], run: () => $\`echo never\` })
export const stopsSiblings = task({ name: 'stops-siblings', deps: [parallel(long, bad)] })
export const keepsGoing = task({ name: 'keeps-going', deps: [parallel(medium, bad, afterBad)] })
export const limited = task({ timeout: '700ms', run: () => $\`sleep 30\` })
const p1 = task({ name: 'p1', run: () => $\`for i in $(seq 1 300); do echo "p1 line $i of a fairly long line of output"; done\` })
const p2 = task({ name: 'p2-longer', run: () => $\`for i in $(seq 1 300); do echo "p2 line $i of a fairly long line of output"; done\` })
const js1 = task({ name: 'js1', run: async () => { for (let i = 0; i < 3; i++) { console.log('from js1', i); await new Promise((r) => setTimeout(r, 20)) } } })
const js2 = task({ name: 'js2', run: async () => { for (let i = 0; i < 3; i++) { console.log('from js2', i); await new Promise((r) => setTimeout(r, 20)) } } })
export const both = task({ deps: [parallel(p1, p2)] })
export const jsBoth = task({ name: 'js-both', deps: [parallel(js1, js2)] })
export const asks = task({ interactive: true, run: () => $\`read line; echo "got $line"\` })
export const reads = task(() => $\`read line || true; echo "read [$line]"\`)
export const jsloop = task({ deps: [parallel(task({ name: 'js', run: () => new Promise((r) => setTimeout(r, 20_000)) }), task({ name: 'sh', run: () => $\`sleep 63\` }))] })
export const fine = task(() => {})
export const hup = task({ deps: [parallel(task({ name: 'h1', run: () => $\`sleep 61\` }), task({ name: 'h2', run: () => $\`sleep 62\` }))] })
`

describe('failure policy', () => {
  it('stops a 60-second sibling when a parallel task fails, long before it would end', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    const tagged = tagProcesses()
    const started = performance.now()
    const r = await p.run(['stops-siblings'], { env: tagged.env })
    const took = performance.now() - started
    expect(r.code).toBe(7)
    // SIGTERM at once: seconds even on a loaded machine, where the sibling alone would take 60.
    expect(took).toBeLessThan(20_000)
    expect(r.stdout).not.toContain('long finished')
    expect(r.stderr).toMatch(/■ long +\S+ +stopped/)
    expect(r.stderr).toMatch(/✗ bad +\S+ +failed \(exit 7\)/)
    expect(tagged.running()).toEqual([])
  })

  it('with --keep-going lets independent tasks finish, skips dependents, reports every failure', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    const r = await p.run(['--keep-going', 'keeps-going'])
    expect(r.code).toBe(7)
    expect(r.stdout).toContain('medium finished')
    expect(r.stdout).not.toContain('never')
    expect(r.stderr).toMatch(/✓ medium/)
    expect(r.stderr).toMatch(/- after-bad +not started/)
  })

  it('stops a task at its timeout with exit 124, naming the task and the limit', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    const started = performance.now()
    const r = await p.run(['limited'])
    expect(r.code).toBe(124)
    // The command is `sleep 30`: stopped at 700 ms, so well before.
    expect(performance.now() - started).toBeLessThan(20_000)
    expect(r.stderr).toContain("task 'limited' timed out after 700ms")
  })
})

describe('output', () => {
  it('prefixes each line of concurrent tasks with its name, aligned, never mixing two lines', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    const r = await p.run(['--jobs', '2', 'both'])
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(600)
    for (const line of lines) expect(line).toMatch(/^(p1 {8}\| p1|p2-longer \| p2) line \d+ of a fairly long line of output$/)
    const p1 = lines.filter((l) => l.startsWith('p1 ')).map((l) => Number(/line (\d+)/.exec(l)?.[1]))
    expect(p1).toEqual(Array.from({ length: 300 }, (_, i) => i + 1))
  })

  it("prefixes what a concurrent task's own JavaScript prints too", async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    const r = await p.run(['--jobs', '2', 'js-both'])
    expect(r.stdout).toMatch(/^js1 \| from js1 0$/m)
    expect(r.stdout).toMatch(/^js2 \| from js2 2$/m)
    expect(r.stdout).not.toMatch(/^from/m)
  })

  it('with --output grouped prints each task whole when it ends', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    const r = await p.run(['--jobs', '2', '--output', 'grouped', 'both'])
    const lines = r.stdout.trimEnd().split('\n')
    const firstP2 = lines.findIndex((l) => l.startsWith('p2'))
    const lastP1 = lines.findLastIndex((l) => l.startsWith('p1'))
    expect(firstP2 > lastP1 || lines.findLastIndex((l) => l.startsWith('p2')) < lines.findIndex((l) => l.startsWith('p1'))).toBe(true)
  })

  it('under GitHub Actions: secrets announced first, a group per task, failures annotated', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS, '.env': 'NPM_TOKEN=npm_abcdef123456\n' })
    const r = await p.run(['stops-siblings'], { env: { GITHUB_ACTIONS: 'true' } })
    const out = r.stdout.split('\n')
    expect(out).toContain('::add-mask::npm_abcdef123456')
    expect(out[0]).toMatch(/^::add-mask::/)
    const lastMask = out.findLastIndex((l) => l.startsWith('::add-mask::'))
    expect(out.slice(0, lastMask + 1).every((l) => l.startsWith('::add-mask::'))).toBe(true)
    expect(r.stdout).toContain('::group::bad')
    expect(r.stdout).toContain('::endgroup::')
    expect(r.stdout).toMatch(/^::error title=runts%3A task bad failed::.*exited with code 7/m)
  })
})

describe('--report', () => {
  it('is checked before anything runs: its folder must exist', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    const r = await p.run(['--report', '/nonexistent/dir/r.json', 'fine'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('cannot write the report')
    expect(r.stderr).not.toContain('start')
  })

  it('writes a JSON record that matches what ran', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    await p.run(['--keep-going', '--report', 'report.json', 'keeps-going'])
    const report = JSON.parse(readFileSync(path.join(p.dir, 'report.json'), 'utf8')) as {
      tasks: Array<{ name: string; status: string; start: string | null; duration: number; exitCode: number | null }>
    }
    const byName = Object.fromEntries(report.tasks.map((t) => [t.name, t]))
    expect(byName.medium).toMatchObject({ status: 'ok', exitCode: 0 })
    expect(byName.bad).toMatchObject({ status: 'failed', exitCode: 7 })
    expect(byName['after-bad']).toMatchObject({ status: 'skipped', start: null })
    expect(new Date(byName.medium!.start!).getTime()).toBeGreaterThan(Date.now() - 60_000)
    expect(byName.medium!.duration).toBeGreaterThanOrEqual(900)
  })
})

describe('stdin and signals', () => {
  it('does not wait for a task whose JavaScript ignores the stop', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    const tagged = tagProcesses()
    const started = performance.now()
    const r = await p.run(['--jobs', '2', 'jsloop'], {
      env: tagged.env,
      onStart: (child) => {
        const poll = setInterval(() => {
          if (tagged.running(/^sleep 63$/).length > 0) {
            clearInterval(poll)
            child.kill('SIGINT')
          }
        }, 50)
      },
    })
    expect(r.code).toBe(130)
    expect(performance.now() - started).toBeLessThan(8000)
    expect(r.stderr).toMatch(/■ js +\S+ +stopped/)
    expect(tagged.running()).toEqual([])
  })

  it('gives an interactive task the terminal (stdin), and closes it for others', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    expect((await p.run(['asks'], { input: 'hello\n' })).stdout).toContain('got hello')
    const reads = await p.run(['reads'], { input: 'hello\n' })
    expect(reads.code).toBe(0)
    expect(reads.stdout).toContain('read []')
  })

  it('stops everything on SIGHUP (the terminal closed) and exits 129', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    const tagged = tagProcesses()
    let pids: number[] = []
    const r = await p.run(['hup'], {
      env: tagged.env,
      onStart: (child) => {
        const poll = setInterval(() => {
          pids = tagged.running(/^sleep 6[12]$/)
          if (pids.length >= 2) {
            clearInterval(poll)
            child.kill('SIGHUP')
          }
        }, 50)
      },
    })
    expect(r.code).toBe(129)
    expect(pids.length).toBe(2)
    expect(tagged.running()).toEqual([])
  })
})
