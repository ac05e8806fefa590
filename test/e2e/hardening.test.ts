/**
 * Nothing survives, nothing leaks, nothing is silently wrong: the failures an
 * adversarial probe of the packed tarball found, each through the installed
 * `run` as a user meets it.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Packed, packedProject } from '../helpers/packed.js'
import { describeProcesses, tagProcesses, until } from '../helpers/processes.js'
import { Project } from '../helpers/project.js'

const TASKS = `
import { task, parallel, $, env } from 'runts'

export const hello = task(() => $\`echo hello\`)
export const js = task(() => console.log('from js'))
export const orphans = task({ deps: [parallel(task({ name: 'a', run: () => $\`sleep 301\` }), task({ name: 'b', run: () => $\`bash -c "sleep 302 & sleep 303; wait"\` }))] })
export const exits = task({ deps: [parallel(task({ name: 'quitter', run: async () => { await new Promise((r) => setTimeout(r, 300)); process.exit(3) } }), task({ name: 'sibling', run: () => $\`sleep 304\` }))] })
export const exitsNow = task(() => { process.exit(4) })
export const callback = task(() => new Promise(() => { setTimeout(() => { throw new Error('thrown in a callback') }, 50) }))
export const rejected = task(async () => { Promise.reject(new Error('nobody awaited this')); await new Promise((r) => setTimeout(r, 5000)) })
export const forever = task(() => new Promise(() => {}))
export const unawaited = task(() => { $\`sleep 305\` })
export const piped = task(async () => { await $\`seq 1 200000\`.pipe($\`wc -l\`) })
export const big = task(() => $\`head -c \${env.BYTES} /dev/zero\`)
export const longLine = task(() => $\`head -c 50000000 /dev/zero | tr '\\\\0' x; echo\`)
export const readBig = task(async () => { const out = await $\`head -c 20000000 /dev/zero\`; console.log(out.stdout.length) })
export const readSmall = task(async () => { const out = await $\`echo small\`; console.log('read', out.stdout.trim()) })
export const named = task({ name: 'deploy-' + env.DEPLOY_KEY, run: () => $\`echo deploying\` })
export const both = task({ deps: ['deploy-' + env.DEPLOY_KEY, hello] })
export const huge = task(() => $\`echo \${env.HUGE.length}\`)
`

/** A tasks file that prints a secret it declares while it loads. */
const LOADING = `
import { task, $, env } from 'runts'
export const secrets = ['DEPLOY_HOST']
console.log('loading for', env.DEPLOY_HOST)
export const hello = task(() => $\`echo hello\`)
`

const SECRETS = { DEPLOY_KEY: 'k3y-value-do-not-print', DEPLOY_HOST: 'host.secret.example' }

describe('the packed runts, hardened', () => {
  let p: Packed
  beforeAll(async () => {
    p = await packedProject({
      'tasks.config.ts': TASKS,
      'loading.config.ts': LOADING,
      '.env': `DEPLOY_KEY=${SECRETS.DEPLOY_KEY}\nDEPLOY_HOST=${SECRETS.DEPLOY_HOST}\n`,
    })
  }, 180_000)

  it('takes its commands with it when it is killed with SIGKILL', async () => {
    const tagged = tagProcesses()
    const child = spawn(p.bin, ['orphans'], { cwd: p.dir, env: { ...process.env, ...tagged.env }, stdio: 'ignore' })
    await until(() => tagged.running(/^sleep 30[123]$/).length === 3, 20_000, 'three sleeps')
    child.kill('SIGKILL')
    await until(() => tagged.running().length === 0, 5_000, 'nothing left 5 s after runts died').catch((error: Error) => {
      throw new Error(`${error.message}; left: ${describeProcesses(tagged.running())}`)
    })
  })

  it('never lets bash read ~/.bashrc into a command', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'runts-home-'))
    writeFileSync(path.join(home, '.bashrc'), 'echo FROM-BASHRC\n')
    const r = await p.run(['hello'], { env: { HOME: home, SHLVL: undefined } })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('hello\n')
  })

  it('names a task that calls process.exit, stops its siblings, and exits with its code', async () => {
    const tagged = tagProcesses()
    const r = await p.run(['exits'], { env: tagged.env })
    expect(r.code).toBe(3)
    expect(r.stderr).toContain("task 'quitter' called process.exit(3)")
    expect(r.stderr).toMatch(/✗ quitter .*failed \(exit 3\)/)
    expect(r.stderr).toMatch(/■ sibling +\S+ +stopped/)
    expect(tagged.running()).toEqual([])
  })

  it('reports a task that calls process.exit on its first line once, with its code', async () => {
    const r = await p.run(['exitsNow'])
    expect(r.code).toBe(4)
    expect(r.stderr.match(/error:/g)).toHaveLength(1)
    expect(r.stderr).toContain("task 'exitsNow' called process.exit(4)")
  })

  it('fails a task whose callback throws, with the line in the tasks file', async () => {
    const r = await p.run(['callback'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("task 'callback' threw: thrown in a callback")
    expect(r.stderr).toMatch(/at tasks\.config\.ts:\d+:\d+\n.*throw new Error\('thrown in a callback'\)/)
  })

  it('fails a task with a rejected promise nobody awaited, at once', async () => {
    const started = performance.now()
    const r = await p.run(['rejected'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("task 'rejected' threw: nobody awaited this")
    expect(performance.now() - started).toBeLessThan(4500)
  })

  it('fails a task whose promise never settles instead of exiting 13 silently', async () => {
    const r = await p.run(['forever'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("task 'forever' threw: its promise never settled")
  })

  it('never reports success while a command a task did not await still runs', async () => {
    const tagged = tagProcesses()
    const r = await p.run(['unawaited'], { env: tagged.env })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('`sleep 305`')
    expect(r.stderr).toContain('await every $ call')
    expect(tagged.running()).toEqual([])
    const fine = await p.run(['piped'])
    expect(fine.code).toBe(0)
    expect(fine.stdout.trim()).toBe('200000')
  })

  it('stops cleanly with an error when its output cannot be written (a full disk)', async () => {
    const full = openSync('/dev/full', 'w')
    for (const args of [['--list'], ['hello']]) {
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(p.bin, args, { cwd: p.dir, stdio: ['ignore', full, 'pipe'] })
        let stderr = ''
        child.stderr!.on('data', (d) => {
          stderr += d
        })
        child.on('close', (c) => {
          expect(stderr).toContain('could not write to stdout: no space left on device (ENOSPC)')
          expect(stderr).not.toContain('    at ')
          resolve(c)
        })
      })
      expect(code).toBe(1)
    }
  })

  it('streams 1 GB through a task in bounded memory', async () => {
    const peak = await peakMemory(p, ['big'], { BYTES: String(1024 ** 3) })
    expect(peak.bytes).toBe(1024 ** 3)
    expect(peak.mib).toBeLessThan(150)
  }, 120_000)

  it('lets a task read a small output, and says so when it reads one too large to keep', async () => {
    expect((await p.run(['readSmall'])).stdout).toBe('small\nread small\n')
    const r = await p.run(['readBig'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('printed more than 16 MiB, so runts streamed its output without keeping it')
  })

  it('prefixes a 50 MB line in linear time', async () => {
    const started = performance.now()
    const r = await p.run(['--output', 'prefixed', 'longLine'])
    expect(r.code).toBe(0)
    expect(r.stdout.replace(/longLine \| /g, '').replace(/\n/g, '').length).toBe(50_000_000)
    expect(performance.now() - started).toBeLessThan(30_000)
  }, 60_000)

  it('masks a secret in a task name, and what the tasks file prints while it loads', async () => {
    const r = await p.run(['both'])
    expect(r.code).toBe(0)
    expect(r.stdout + r.stderr).not.toContain(SECRETS.DEPLOY_KEY)
    expect(r.stderr).toMatch(/› start deploy-\*\*\*/)
    expect(r.stderr).toMatch(/✓ deploy-\*\*\* /)
    const loading = await p.run(['-f', 'loading.config.ts', 'hello'])
    expect(loading.stdout + loading.stderr).not.toContain(SECRETS.DEPLOY_HOST)
    expect(loading.stdout).toBe('loading for ***\nhello\n')
  })

  it('masks the shell secrets in an error raised before the tasks file is found', async () => {
    const r = await p.run(['-f', `/nowhere/${SECRETS.DEPLOY_KEY}/tasks.config.ts`, 'hello'], { env: { DEPLOY_KEY: SECRETS.DEPLOY_KEY } })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('tasks file not found: /nowhere/***/tasks.config.ts')
  })

  it('explains a command that cannot start because a value is too large (E2BIG)', async () => {
    p.write({ 'huge.env': `HUGE=${'x'.repeat(200_000)}\n` })
    const r = await p.run(['--env-file', 'huge.env', 'huge'])
    expect(r.code).toBe(126)
    expect(r.stderr).toContain("task 'huge' failed: a command could not be started (E2BIG)")
    expect(r.stderr).toContain('HUGE (195 KiB)')
  })

  it('reads a .env of 30,000 lines at once, and names a .env that is a folder', async () => {
    // Before, checking the lines was quadratic: 38 s for this file, and a 10 MB one never ended. (A JavaScript
    // task: bash itself takes seconds to start with 30,000 variables in its environment.)
    p.write({
      'big.env': Array.from({ length: 30_000 }, (_, i) => (i % 100 === 0 ? `V${i}=value-${i}#cut` : `V${i}=value-${i}`)).join('\n'),
    })
    const started = performance.now()
    const r = await p.run(['--env-file', 'big.env', 'js'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('from js\n')
    expect(r.stderr.match(/is cut at '#'/g)).toHaveLength(300)
    expect(performance.now() - started).toBeLessThan(10_000)
    const folder = new Project({ 'tasks.config.ts': TASKS })
    mkdirSync(path.join(folder.dir, '.env'))
    const bad = await folder.run(['hello'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain(`cannot read the env file ${path.join(folder.dir, '.env')}: it is a folder`)
  })
})

/** Peak resident memory of a run (VmHWM of the runts process), and how many bytes it printed. */
async function peakMemory(p: Packed, args: string[], env: Record<string, string>): Promise<{ mib: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%M', p.bin, ...args], { cwd: p.dir, env: { ...process.env, ...env } })
    let bytes = 0
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      bytes += d.length
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`run exited ${code}: ${stderr}`))
      const kib = Number(stderr.trim().split('\n').at(-1))
      resolve({ mib: kib / 1024, bytes })
    })
  })
}
