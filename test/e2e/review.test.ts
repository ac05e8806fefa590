/** Problems a review found, through the built CLI: each test failed before its fix. */
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { alive, cli, Project } from '../helpers/project.js'

const TASKS = `
import { task, parallel, $, env } from 'runts'
export const quoted = task(() => $\`test \${env.SQ_PASSWORD} = 1\`)
export const jsloop = task({ deps: [parallel(task({ name: 'js', run: () => new Promise((r) => setTimeout(r, 20_000)) }), task({ name: 'sh', run: () => $\`sleep 63\` }))] })
export const bin = task(() => $\`cat data.bin\`)
export const flood = task({ deps: [parallel(task({ name: 'yes', run: () => $\`yes | head -n 2000000\` }), task({ name: 'sleeper', run: () => $\`sleep 64\` }))] })
export const fine = task(() => {})
`

const sleepers = (pattern: RegExp) =>
  execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => pattern.test(l))
    .map((l) => Number.parseInt(l, 10))

describe('review fixes', () => {
  it('masks a secret with a quote or a backslash as zx quotes it in a traced command', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    const r = await p.run(['-x', 'quoted'], { env: { SQ_PASSWORD: "it's-a\\secret" } })
    expect(r.stdout + r.stderr).not.toContain("it\\'s-a")
    expect(r.stderr).toContain("$ test $'***' = 1")
  })

  it('does not wait for a task whose JavaScript ignores the stop', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    const started = performance.now()
    const r = await p.run(['--jobs', '2', 'jsloop'], {
      onStart: (child) => {
        const poll = setInterval(() => {
          if (sleepers(/^\s*\d+ sleep 63$/).length > 0) {
            clearInterval(poll)
            child.kill('SIGINT')
          }
        }, 50)
      },
    })
    expect(r.code).toBe(130)
    expect(performance.now() - started).toBeLessThan(8000)
    expect(r.stderr).toMatch(/■ js +\S+ +stopped/)
  })

  it('passes binary output through byte for byte, with and without secrets', async () => {
    const data = randomBytes(200_000)
    const p = new Project({ 'tasks.config.ts': TASKS })
    writeFileSync(path.join(p.dir, 'data.bin'), data)
    for (const env of [{}, { API_TOKEN: 'not-in-the-data-1234' }]) {
      const out = execFileSync(process.execPath, [cli, 'bin'], {
        cwd: p.dir,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'ignore'],
        maxBuffer: 1e7,
      })
      expect(Buffer.compare(out, data)).toBe(0)
    }
  })

  it('stops quietly, leaving nothing running, when its reader goes away (run … | head)', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    const child = spawn(process.execPath, [cli, '--jobs', '2', 'flood'], { cwd: p.dir, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => {
      stderr += d
    })
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (sleepers(/^\s*\d+ sleep 64$/).length > 0) {
          clearInterval(poll)
          resolve()
        }
      }, 50)
    })
    child.stdout.destroy()
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(code).toBe(141)
    expect(stderr).not.toContain('EPIPE')
    expect(sleepers(/^\s*\d+ sleep 64$/).filter(alive)).toEqual([])
  })

  it('checks that --report can be written before anything runs', async () => {
    const p = new Project({ 'tasks.config.ts': TASKS })
    const r = await p.run(['--report', '/nonexistent/dir/r.json', 'fine'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('cannot write the report')
    expect(r.stderr).not.toContain('start')
  })

  it('says which package a tasks file imports that is not installed', async () => {
    const p = new Project({
      'tasks.config.ts': "import { task } from 'runts'\nimport x from 'not-installed-pkg'\nexport const a = task(() => console.log(x))\n",
    })
    const r = await p.run(['a'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("imports 'not-installed-pkg', which is not installed")
    expect(r.stderr).toContain('npm i -D not-installed-pkg')
    expect(r.stderr).not.toContain('.cache')
  })

  it('says on a dry run that a real run would ask for confirmation', async () => {
    const p = new Project({
      'tasks.config.ts': "import { task } from 'runts'\nexport const prod = task({ confirm: 'Ship it?', run: () => {} })\n",
    })
    const r = await p.run(['--dry-run', 'prod'])
    expect(r.stdout).toBe('prod\n')
    expect(r.stderr).toContain("a real run asks first: Ship it? (task 'prod'")
  })

  it('lists a task exported under two names once, with both names', async () => {
    const p = new Project({
      'tasks.config.ts':
        "import { task } from 'runts'\nexport const build = task(() => {})\nexport { build as b }\nexport const t2 = task({ deps: [build, 'b'] })\n",
    })
    expect((await p.run(['-n', 't2'])).stdout).toBe('b\nt2\n')
    expect((await p.run(['--list'])).stdout).toContain('b (also build)')
    expect(readFileSync(path.join(p.dir, 'tasks.config.ts'), 'utf8')).toContain('as b')
  })
})
