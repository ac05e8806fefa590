/**
 * The packaging course's CD job, run as `run --ci github` writes it: on a push to main, `run version`
 * first (the real one, in a real git clone), the release commit and tag pushed to the remote by the
 * generated push step, then the release task; nothing but the version step when no commit calls for a
 * release; the release task without the version step when started by hand. The stand-in runner
 * (helpers/workflow-runner.ts) evaluates the steps' `if:` and passes the version step's outputs on; the
 * checkout stub clones the remote (a bare repository in a temp folder) with its whole history.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { actionlint } from '../helpers/actionlint.js'
import { repo, runProcess } from '../helpers/project.js'
import { type JobResult, runJob, type Store, type Stub } from '../helpers/workflow-runner.js'

let temp: string
let remote: string
let dev: string
let workflow: string
const results: JobResult[] = []

const gitEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Dev',
  GIT_AUTHOR_EMAIL: 'dev@example.org',
  GIT_COMMITTER_NAME: 'Dev',
  GIT_COMMITTER_EMAIL: 'dev@example.org',
}
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim()

const store: Store = { secrets: { NPM_TOKEN: 'npm_fakeStoreToken0123456789', GITHUB_TOKEN: 'ghs_fakeRunToken0123456789' }, vars: {} }

const tasksFile = `import { writeFileSync } from 'node:fs'
import { $, gitClean, readRelease, releaseVersion, task } from 'runts'

export const check = task({ ci: ['push', 'pull_request'], run: () => $\`node --check index.js\` })
export const version = task({
  permissions: { contents: 'write' },
  preflight: [gitClean()],
  run: async ({ args }) => {
    await releaseVersion({ bump: args[0], kind: 'npm' })
  },
})
// A stand-in upload: the version it would publish, in a file of the workspace.
export const publish = task({
  env: ['NPM_TOKEN'],
  run: async () => writeFileSync('published.txt', (await readRelease({ kind: 'npm' })).version),
})
export const releaseProd = task({
  name: 'release:prod',
  ci: { on: ['push', 'dispatch'], branches: ['main'], needs: ['check'], version: 'version' },
  confirm: 'Publish cd-sample?',
  deps: [publish],
})
`

beforeAll(async () => {
  temp = mkdtempSync(path.join(os.tmpdir(), 'runts-cd-sim-'))
  // runts as a registry install has it (see ci-simulation.test.ts).
  const runts = path.join(temp, 'runts-package')
  mkdirSync(runts)
  const { scripts: _, devDependencies: __, ...manifest } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'))
  writeFileSync(path.join(runts, 'package.json'), JSON.stringify(manifest, null, 2))
  for (const link of ['dist', 'node_modules', 'tasks']) symlinkSync(path.join(repo, link), path.join(runts, link))
  // The developer's clone, and the remote it pushes to.
  dev = path.join(temp, 'dev')
  mkdirSync(dev)
  const pkg = { name: 'cd-sample', version: '0.1.0', private: true, type: 'module', devDependencies: { runts: 'file:../runts-package' } }
  writeFileSync(path.join(dev, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`)
  writeFileSync(path.join(dev, 'index.js'), 'export const answer = 42\n')
  writeFileSync(path.join(dev, '.gitignore'), 'node_modules/\n.env\n')
  writeFileSync(path.join(dev, 'tasks.config.ts'), tasksFile)
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: dev, stdio: 'ignore' })
  const r = await runProcess('npm', ['exec', '--no', '--', 'run', '--ci', 'github'], { cwd: dev })
  expect(r.code, r.stderr).toBe(0)
  workflow = readFileSync(path.join(dev, '.github/workflows/runts.yml'), 'utf8')
  expect(await actionlint(workflow)).toEqual([])
  git(dev, 'init', '-q', '-b', 'main')
  git(dev, 'add', '-A')
  git(dev, 'commit', '-q', '-m', 'chore: first')
  git(dev, 'tag', '-a', 'v0.1.0', '-m', 'v0.1.0')
  remote = path.join(temp, 'remote.git')
  git(temp, 'clone', '-q', '--bare', dev, remote)
  git(dev, 'remote', 'add', 'origin', remote)
  git(dev, 'fetch', '-q', 'origin')
}, 120_000)

afterAll(() => {
  for (const r of results) rmSync(r.root, { recursive: true, force: true })
  rmSync(temp, { recursive: true, force: true })
})

const stubs: Record<string, Stub> = {
  // actions/checkout: a clone of the remote, every commit and tag (fetch-depth: 0 on a release job).
  'actions/checkout': (inputs, runner) => {
    expect(inputs['fetch-depth']).toBe(0)
    expect(inputs['persist-credentials']).toBe(false)
    git(runner.workspace, 'clone', '-q', remote, '.')
  },
  'actions/setup-node': () => {},
}

async function releaseJob(event = { name: 'push', ref: 'refs/heads/main' }): Promise<JobResult> {
  // A fresh runner: no git user, no global git configuration.
  const machine = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }
  const result = await runJob(workflow, 'release-prod', { stubs, store, workspaceIn: temp, event, machine })
  results.push(result)
  return result
}
const output = (r: JobResult) => r.steps.map((s) => `--- ${s.name} (${s.skipped ? 'skipped' : `exit ${s.code}`})\n${s.output}`).join('\n')
const ran = (r: JobResult) => r.steps.filter((s) => !s.skipped).map((s) => s.name)
const push = (message: string) => {
  git(dev, 'pull', '-q', '--rebase', 'origin', 'main')
  git(dev, 'commit', '-q', '--allow-empty', '-m', message)
  git(dev, 'push', '-q', 'origin', 'main')
}

describe('the release job of a push to main', () => {
  it('runs run version, pushes its commit and tag, then the release task with the new version', async () => {
    push('feat: a question to the answer')
    const r = await releaseJob()
    expect(r.code, output(r)).toBe(0)
    expect(ran(r)).toEqual(['Check out', 'Set up Node', 'Install', 'run version', 'Push the release commit and tag', 'run release:prod'])
    expect(git(remote, 'log', '-1', '--format=%s', 'main')).toBe('chore(release): v0.2.0')
    expect(git(remote, 'tag', '--list')).toBe('v0.1.0\nv0.2.0')
    expect(git(remote, 'rev-parse', 'v0.2.0^{commit}')).toBe(git(remote, 'rev-parse', 'main'))
    expect(git(remote, 'show', 'main:package.json')).toContain('"version": "0.2.0"')
    expect(git(remote, 'show', 'main:CHANGELOG.md')).toMatch(
      /## 0\.2\.0\n\n_\d{4}-\d\d-\d\d_\n\n### Features\n\n- a question to the answer/,
    )
    // On a fresh runner, with no git user: the bot commits.
    expect(git(remote, 'log', '-1', '--format=%an <%ae>', 'main')).toBe(
      'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>',
    )
    expect(readFileSync(path.join(r.workspace, 'published.txt'), 'utf8')).toBe('0.2.0')
    const lines = output(r).split('\n')
    expect(lines.filter((line) => !line.startsWith('::add-mask::')).join('\n')).not.toContain(store.secrets.GITHUB_TOKEN)
  }, 120_000)

  it('ends after run version, green, when no commit calls for a release: nothing pushed, nothing published', async () => {
    push('docs: say what the answer is')
    const before = git(remote, 'rev-parse', 'main')
    const r = await releaseJob()
    expect(r.code, output(r)).toBe(0)
    expect(r.steps.find((s) => s.name === 'run version')!.output).toContain('nothing to release')
    expect(r.steps.filter((s) => s.skipped).map((s) => s.name)).toEqual(['Push the release commit and tag', 'run release:prod'])
    expect(git(remote, 'rev-parse', 'main')).toBe(before)
    expect(git(remote, 'tag', '--list')).toBe('v0.1.0\nv0.2.0')
  }, 120_000)

  it('started by hand, runs the release task alone, on the version as it is', async () => {
    const r = await releaseJob({ name: 'workflow_dispatch', ref: 'refs/heads/main' })
    expect(r.code, output(r)).toBe(0)
    expect(ran(r)).toEqual(['Check out', 'Set up Node', 'Install', 'run release:prod'])
    expect(readFileSync(path.join(r.workspace, 'published.txt'), 'utf8')).toBe('0.2.0')
  }, 120_000)
})
