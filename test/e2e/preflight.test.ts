/**
 * `preflight`, `optional`, `confirm` written by a function and `target`, through the built CLI in a
 * temp project: failures named with their task, nothing run, exit 2; secrets masked in what checks
 * say; the dry run listing every check.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Project } from '../helpers/project.js'

const TASKS = `import { writeFileSync } from 'node:fs'
import { task, env, type CheckContext } from 'runts'

function tokenIsLive() {
  return env.DEPLOY_TOKEN === 'tok-live-1234' ? undefined : \`the token \${env.DEPLOY_TOKEN} is not the live one\`
}
function alwaysFine() {}
function throws(): string { throw new Error('cannot reach the server') }
const shows = (context?: CheckContext) => (env.SHOW ? \`asked for \${context?.target}, REGION is \${context?.env?.REGION}\` : undefined)

export const build = task({ run: () => writeFileSync('built', '') })
export const deploy = task({
  deps: [build],
  optional: { REGION: 'eu-west-1' },
  preflight: [alwaysFine, tokenIsLive, shows],
  confirm: (context) => \`Deploy to \${context.env?.REGION} (asked for \${context.target})?\`,
  run: ({ target }) => writeFileSync('deployed', \`\${target} \${env.REGION}\`),
})
export const broken = task({ preflight: [throws, () => 'second failure'], run: () => writeFileSync('broken-ran', '') })
export const needs = task({ env: ['NEEDED_VAR'], preflight: [() => 'a check that fails too'], run: () => writeFileSync('needs-ran', '') })
export const release = task({ deps: [deploy, broken] })
`

describe('preflight checks', () => {
  let p: Project
  beforeAll(() => {
    p = new Project({ 'tasks.config.ts': TASKS, '.env': 'DEPLOY_TOKEN=tok-stale-9876\n' })
  })
  afterAll(() => rmSync(p.dir, { recursive: true, force: true }))

  it('names every failure with its task, masks secrets in what they say, runs nothing and exits 2', async () => {
    const r = await p.run(['--yes', 'release'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('3 checks failed before anything ran')
    expect(r.stderr).toContain('deploy: the token *** is not the live one')
    expect(r.stderr).toContain('broken: cannot reach the server')
    expect(r.stderr).toContain('broken: second failure')
    expect(r.stdout + r.stderr).not.toContain('tok-stale-9876')
    expect(existsSync(path.join(p.dir, 'built'))).toBe(false)
  })

  it('--dry-run lists each check of the plan, and whether it would fail, masked; nothing runs', async () => {
    const r = await p.run(['--dry-run', 'deploy'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('build\ndeploy\n')
    expect(r.stderr).toContain('a real run checks first: deploy: ✓ alwaysFine')
    expect(r.stderr).toContain('a real run checks first: deploy: ✗ tokenIsLive: would fail: the token *** is not the live one')
    expect(r.stderr).toContain('a real run asks first: Deploy to eu-west-1 (asked for deploy)?')
    expect(r.stdout + r.stderr).not.toContain('tok-stale-9876')
    expect(existsSync(path.join(p.dir, 'built'))).toBe(false)
  })

  it('checks and questions see the task asked for and the defaults of optional variables; run --env shows the default', async () => {
    const env = { DEPLOY_TOKEN: 'tok-live-1234', SHOW: '1' }
    const checked = await p.run(['--yes', 'deploy'], { env })
    expect(checked.code).toBe(2)
    expect(checked.stderr).toContain('deploy: asked for deploy, REGION is eu-west-1')
    const ran = await p.run(['--yes', 'deploy'], { env: { DEPLOY_TOKEN: 'tok-live-1234', REGION: 'us-east-2' } })
    expect(ran.code).toBe(0)
    expect(readFileSync(path.join(p.dir, 'deployed'), 'utf8')).toBe('deploy us-east-2')
    const shown = await p.run(['--env', 'deploy'])
    expect(shown.stdout).toMatch(/REGION +eu-west-1 +\(default\) +deploy/)
    expect(shown.stdout).toMatch(/DEPLOY_TOKEN +\*\*\* +\.env/)
  })

  it('names the missing variables and the failed checks at once, not one after the other', async () => {
    const r = await p.run(['needs'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('NEEDED_VAR  (needed by needs)')
    expect(r.stderr).toContain('needs: a check that fails too')
    expect(existsSync(path.join(p.dir, 'needs-ran'))).toBe(false)
  })

  it('says when a required variable is empty in the shell while .env sets it (the shell wins)', async () => {
    p.write({ '.env': 'DEPLOY_TOKEN=tok-stale-9876\nNEEDED_VAR=from-the-file\n' })
    const r = await p.run(['needs'], { env: { NEEDED_VAR: '' } })
    expect(r.stderr).toContain('NEEDED_VAR is set but empty in the shell, and the shell wins over .env')
    p.write({ '.env': 'DEPLOY_TOKEN=tok-stale-9876\n' })
  })
})
