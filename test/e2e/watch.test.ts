/**
 * `run --watch TASK` through the built CLI, in temp projects: what starts a new run (inputs, or the
 * project less .git, node_modules and outputs; a burst counting once), what a change does to a run under
 * way (its commands and their children stopped before the next run starts), what a failure and Ctrl-C do,
 * and the cache skipping what did not change. Processes are found by a tag in their environment.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { LiveCli, stopAll } from '../helpers/live.js'
import { tagProcesses, until } from '../helpers/processes.js'
import { Project } from '../helpers/project.js'

const projects: Project[] = []
afterEach(stopAll)
afterAll(() => {
  for (const p of projects) rmSync(p.dir, { recursive: true, force: true })
})

function project(tasks: string, files: Record<string, string> = {}): Project {
  const p = new Project({ 'tasks.config.ts': `import { $, task } from 'runts'\n${tasks}`, ...files })
  projects.push(p)
  return p
}

/** The line `run --watch` prints once a run is over and it waits for a change. */
const WAITING = /watching .* for changes/g
const waits = (n: number) => (out: string) => (out.match(WAITING)?.length ?? 0) >= n

describe('run --watch', () => {
  it('runs again when an input changes, once for a burst of changes', async () => {
    const p = project("export const build = task({ inputs: ['src/**'], run: () => $`ls src | wc -l | xargs echo files:` })", {
      'src/a.txt': 'a',
    })
    const watch = new LiveCli(p.dir, ['-w', 'build'])
    await watch.waitFor(waits(1))
    expect(watch.output).toContain('watching src/** for changes')
    p.write({ 'src/a.txt': 'changed' })
    await watch.waitFor(waits(2))
    expect(watch.output).toContain('changed: src/a.txt')

    const burst = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`src/f${String(i).padStart(2, '0')}.txt`, `${i}`]))
    p.write(burst)
    await watch.waitFor(waits(3))
    // A change after the burst: had the burst started more than one run, its second run would show first.
    p.write({ 'src/z.txt': 'z' })
    await watch.waitFor(waits(4))
    expect(watch.count(/changed: /g)).toBe(3)
    expect(watch.output).toContain('changed: src/f00.txt, src/f01.txt, src/f02.txt and 27 more')
    expect(watch.output).toMatch(/changed: src\/z\.txt\n/)
    expect(watch.count(/^files: 32$/gm)).toBe(1)
    expect(watch.count(/^› start build$/gm)).toBe(4)
  })

  it("stops a run's commands and their children when a change comes, before the next run starts", async () => {
    const tagged = tagProcesses()
    const p = project(
      `import { existsSync, readFileSync } from 'node:fs'
const alive = (pid: string) => existsSync(\`/proc/\${pid}/stat\`) && !/\\) Z /.test(readFileSync(\`/proc/\${pid}/stat\`, 'utf8'))
export const serve = task({
  inputs: ['src/**'],
  run: async () => {
    const pids = existsSync('pids') ? readFileSync('pids', 'utf8').split(/\\s+/).filter(Boolean) : []
    console.log(\`left running: \${pids.filter(alive).length} of \${pids.length}\`)
    await $\`sh -c 'sleep 300 & echo $! >> pids; echo $$ >> pids; echo serving; wait'\`
  },
})`,
      { 'src/a.txt': 'a' },
    )
    const watch = new LiveCli(p.dir, ['-w', 'serve'], tagged.env)
    await watch.waitFor(/serving/)
    // The shell prints "serving" once it forked the child, which may not have become `sleep` yet.
    await until(() => tagged.running(/^sleep 300$/).length === 1, 5000, "the first run's sleep")
    p.write({ 'src/a.txt': 'b' })
    await watch.waitFor((out) => out.match(/serving/g)?.length === 2)
    // The second run found both processes of the first one (the shell and its child) gone when it started.
    expect(watch.output).toContain('left running: 0 of 0')
    expect(watch.output).toContain('left running: 0 of 2')
    expect(watch.output).toContain('stopped: a file changed, so the run starts again')
    await until(() => tagged.running(/^sleep 300$/).length === 1, 5000, "the second run's sleep, and only it")

    // Ctrl-C during a run: 130, and nothing left.
    watch.signal('SIGINT')
    expect(await watch.exited).toEqual({ code: 130, signal: null })
    await until(() => tagged.running().length === 0, 5000, 'the tagged processes to end')
  })

  it('lets a stopped command finish its clean-up when more changes come while it stops', async () => {
    // The command cleans up for a second after SIGTERM; a second stop would be SIGKILL, cutting it short.
    const p = project(
      `export const serve = task({ inputs: ['src/**'], run: () => $\`trap 'echo stopping; sleep 1; echo cleaned up; exit 0' TERM; echo serving; while :; do sleep 0.05; done\` })`,
      { 'src/a.txt': 'a' },
    )
    const watch = new LiveCli(p.dir, ['-w', 'serve'])
    await watch.waitFor(/serving/)
    p.write({ 'src/a.txt': 'b' })
    await watch.waitFor(/stopping/)
    p.write({ 'src/b.txt': 'b' })
    await watch.waitFor((out) => out.match(/serving/g)?.length === 2)
    expect(watch.output).toMatch(/stopping\n(.*\n)*cleaned up\n/)
    expect(watch.output).toMatch(/changed: src\/a\.txt, src\/b\.txt\n/)
  })

  it('keeps watching after a failed run, and exits 130 on Ctrl-C while it waits', async () => {
    const p = project("export const check = task({ inputs: ['state.txt'], run: () => $`grep -q good state.txt && echo state is good` })", {
      'state.txt': 'bad',
    })
    const watch = new LiveCli(p.dir, ['-w', 'check'])
    await watch.waitFor(waits(1))
    expect(watch.output).toMatch(/✗ check/)
    p.write({ 'state.txt': 'good' })
    await watch.waitFor(waits(2))
    expect(watch.output).toContain('state is good')
    watch.signal('SIGINT')
    expect(await watch.exited).toEqual({ code: 130, signal: null })
  })

  it('watches the whole project less .git, node_modules and outputs when no task names inputs', async () => {
    const p = project("export const gen = task({ outputs: ['out/**'], run: () => $`mkdir -p out && date +%N > out/stamp` })", {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'README.md': 'hello',
    })
    const watch = new LiveCli(p.dir, ['-w', 'gen'])
    await watch.waitFor(waits(1))
    expect(watch.output).toContain('watching the project for changes')
    // None of these counts; the README does. Had out/stamp (written by each run) counted, it would show too.
    p.write({ '.git/HEAD': 'ref: refs/heads/other\n', 'node_modules/lib/index.js': '', 'out/other.txt': 'x', 'README.md': 'changed' })
    await watch.waitFor(waits(2))
    p.write({ 'docs/new.md': 'new' })
    await watch.waitFor(waits(3))
    expect(watch.output.match(/changed: .*/g)).toEqual(['changed: README.md', 'changed: docs/new.md'])
  })

  it('with the cache, runs again only the tasks whose inputs changed', async () => {
    const p = project(
      `export const a = task({ inputs: ['a/**'], run: () => $\`echo a >> runs.log\` })
export const b = task({ inputs: ['b/**'], run: () => $\`echo b >> runs.log\` })
export const all = task({ deps: [a, b] })`,
      { 'a/x.txt': '1', 'b/x.txt': '1' },
    )
    const watch = new LiveCli(p.dir, ['-w', 'all'])
    await watch.waitFor(waits(1))
    expect(watch.output).toContain('watching a/**, b/** for changes')
    p.write({ 'b/x.txt': '2' })
    await watch.waitFor(waits(2))
    expect(readFileSync(path.join(p.dir, 'runs.log'), 'utf8')).toBe('a\nb\nb\n')
    expect(watch.output).toMatch(/✓ a .*up to date/)
  })

  it("sees what the fingerprint sees: a folder named as an input, one task's exclude not hiding another's input", async () => {
    const p = project(
      `export const a = task({ inputs: ['src'], run: () => $\`echo a >> runs.log\` })
export const b = task({ inputs: ['docs/**', '!src/**'], run: () => $\`echo b >> runs.log\` })
export const all = task({ deps: [a, b] })`,
      { 'src/app.ts': '1', 'docs/x.md': '1' },
    )
    const watch = new LiveCli(p.dir, ['-w', 'all'])
    await watch.waitFor(waits(1))
    expect(watch.output).toContain('watching src, docs/**, !src/** for changes')
    p.write({ 'src/app.ts': '2' })
    await watch.waitFor(waits(2))
    expect(watch.output).toContain('changed: src/app.ts')
    expect(readFileSync(path.join(p.dir, 'runs.log'), 'utf8')).toBe('a\nb\na\n')
  })

  it('says when the tasks file itself changes, and goes on with the tasks it loaded', async () => {
    const p = project("export const hi = task({ inputs: ['*.ts', 'in.txt'], run: () => $`echo hi` })", { 'in.txt': '1' })
    const watch = new LiveCli(p.dir, ['-w', 'hi'])
    await watch.waitFor(waits(1))
    writeFileSync(path.join(p.dir, 'tasks.config.ts'), `${readFileSync(path.join(p.dir, 'tasks.config.ts'), 'utf8')}\n// edited\n`)
    await watch.waitFor(waits(2))
    expect(watch.output).toContain('the tasks file changed: stop and start run --watch again to use it')
    expect(watch.count(/^hi$/gm)).toBe(2)
  })
})
