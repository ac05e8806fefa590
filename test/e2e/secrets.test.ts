/**
 * A leak corpus: secrets from .env, the shell and a `secret:` declaration,
 * printed in every form through every path. The raw values must appear
 * nowhere in what `run` prints or writes; ordinary output stays intact.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { Project, type Result } from '../helpers/project.js'

const SECRETS = {
  API_TOKEN: 'tok_9f8e7d6c5b4a',
  SHELL_PASSWORD: 'hunter2-from-shell',
  DEPLOY_TARGET: 'declared-secret-value',
  MULTI_KEY: 'first-line-of-key\nsecond-line-of-key',
}

const TASKS = `
import { task, $, env } from 'runts'
export const secrets = ['DEPLOY_TARGET']

const forms = String.raw\`
const s = process.env.API_TOKEN
const b = (pre) => Buffer.concat([Buffer.from(pre), Buffer.from(s)]).toString('base64')
console.log('plain', s)
console.error('stderr', s)
console.log('b64', b(''), b('x'), b('xy'), Buffer.from(s).toString('base64url'))
console.log('url', encodeURIComponent('a b/' + s), 'json', JSON.stringify({ s: s + '"' }))
console.log('multi', JSON.stringify(process.env.MULTI_KEY), process.env.MULTI_KEY)
console.log('shell', process.env.SHELL_PASSWORD, 'declared', process.env.DEPLOY_TARGET)
\`

export const print = task({ run: () => $\`node -e \${forms}\` })
export const slow = task({
  description: 'writes the token byte by byte',
  run: () => $\`node -e \${"const s = 'before ' + process.env.API_TOKEN + ' after\\\\n'; let i = 0; const t = setInterval(() => { process.stdout.write(s[i++]); if (i === s.length) clearInterval(t) }, 15)"}\`,
})
export const js = task(() => {
  console.log('console.log', env.API_TOKEN)
  process.stdout.write('write ' + env.SHELL_PASSWORD + '\\n')
})
export const traced = task(() => $\`echo token=\${env.API_TOKEN}\`)
export const failing = task(() => $\`echo \${env.API_TOKEN} >/dev/null; exit 3\`)
export const throwing = task(() => { throw new Error('bad token ' + env.API_TOKEN) })
export const lines = task(() => $\`for i in $(seq 1 200); do echo "line $i"; done\`)
export const documented = task({ description: 'deploys to ' + env.DEPLOY_TARGET, run: () => {} })
export const quoted = task(() => $\`test \${env.SQ_PASSWORD} = 1\`)
`

function expectNoLeak(r: Result | string): void {
  const text = typeof r === 'string' ? r : r.stdout + r.stderr
  for (const value of Object.values(SECRETS)) {
    expect(text).not.toContain(value)
    for (const line of value.split('\n')) expect(text).not.toContain(line)
  }
}

describe('no secret leaks', () => {
  const project = () =>
    new Project({
      'tasks.config.ts': TASKS,
      '.env': `API_TOKEN=${SECRETS.API_TOKEN}\nDEPLOY_TARGET=${SECRETS.DEPLOY_TARGET}\nMULTI_KEY="first-line-of-key\\nsecond-line-of-key"\n`,
    })
  const env = { SHELL_PASSWORD: SECRETS.SHELL_PASSWORD }

  it('in command output, in every form', async () => {
    const r = await project().run(['print'], { env })
    expect(r.code).toBe(0)
    expectNoLeak(r)
    expect(r.stdout).toContain('plain ***')
    expect(r.stderr).toContain('stderr ***')
    expect(r.stdout).toMatch(/^b64 \S*\*\*\*\S* \S*\*\*\*\S* \S*\*\*\*\S* \S*\*\*\*\S*$/m)
    expect(r.stdout).toContain('shell *** declared ***')
  })

  it('written byte by byte, with pauses', async () => {
    const r = await project().run(['slow'])
    expectNoLeak(r)
    expect(r.stdout).toBe('before *** after\n')
  })

  it("in the task's own console.log and process.stdout.write", async () => {
    const r = await project().run(['js'], { env })
    expectNoLeak(r)
    expect(r.stdout).toContain('console.log ***')
    expect(r.stdout).toContain('write ***')
  })

  it('in traced commands, failing commands and thrown errors', async () => {
    const p = project()
    for (const args of [['-x', 'traced'], ['failing'], ['throwing']]) {
      const r = await p.run(args, { env })
      expectNoLeak(r)
      expect(r.stdout + r.stderr).toContain('***')
    }
  })

  it('in --env, the dry run, the list and a generated Makefile', async () => {
    const p = project()
    const report = await p.run(['--env'], { env })
    expectNoLeak(report)
    expect(report.stdout).toMatch(/^API_TOKEN +\*\*\* +\.env/m)
    expectNoLeak(await p.run(['--dry-run', 'documented'], { env }))
    expectNoLeak(await p.run(['--list'], { env }))
    const make = await p.run(['--makefile'], { env })
    writeFileSync(path.join(p.dir, 'Makefile'), make.stdout)
    expectNoLeak(readFileSync(path.join(p.dir, 'Makefile'), 'utf8'))
    expect(make.stdout).toContain('# deploys to ***')
  })

  it('while ordinary output stays intact and in order', async () => {
    const r = await project().run(['lines'], { env })
    expect(r.stdout).toBe(Array.from({ length: 200 }, (_, i) => `line ${i + 1}\n`).join(''))
  })

  it('with a quote or a backslash, as zx quotes it in a traced command', async () => {
    const r = await project().run(['-x', 'quoted'], { env: { SQ_PASSWORD: "it's-a\\secret" } })
    expect(r.stdout + r.stderr).not.toContain("it\\'s-a")
    expect(r.stderr).toContain("$ test $'***' = 1")
  })

  it('in a URL, whatever its variable is called: the password, as written and decoded', async () => {
    const p = new Project({
      'tasks.config.ts': `import { task, $ } from 'runts'
export const connect = task({
  env: ['DATABASE_URL'],
  run: async () => {
    await $\`echo url=$DATABASE_URL\`
    console.log('decoded', decodeURIComponent(new URL(process.env.DATABASE_URL!).password))
  },
})`,
      '.env': 'DATABASE_URL=postgres://app:s3cr%40t-pass@db.example:5432/app\n',
    })
    const r = await p.run(['connect'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('url=postgres://app:***@db.example:5432/app')
    expect(r.stdout).toContain('decoded ***')
    expect(r.stdout + r.stderr).not.toContain('s3cr')
    const listed = await p.run(['--env'])
    expect(listed.stdout).toMatch(/^DATABASE_URL +postgres:\/\/app:\*\*\*@db\.example:5432\/app +\.env/m)
  })
})
