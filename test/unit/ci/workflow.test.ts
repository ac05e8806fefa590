import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { parallel, task } from '../../../src/api/task.js'
import { detectProject, type ProjectFacts } from '../../../src/ci/project.js'
import { generateWorkflow } from '../../../src/ci/workflow.js'
import { RuntsError } from '../../../src/errors.js'
import { buildGraph } from '../../../src/plan/graph.js'

interface Step {
  name: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
}
interface Job {
  name: string
  if?: string
  environment?: string
  concurrency?: { group: string; 'cancel-in-progress': boolean }
  env?: unknown
  steps: Step[]
}
interface Workflow {
  on: Record<string, unknown>
  permissions: Record<string, string>
  jobs: Record<string, Job>
}

const node: ProjectFacts = { node: { version: '>=20.19' }, lockFile: 'package-lock.json' }

/** A release pipeline like the python template's, with `ci` on check and release:prod. */
function pipeline() {
  const lint = task({ run: () => {} })
  const test = task({ run: () => {} })
  const build = task({ run: () => {} })
  const publishTest = task({ name: 'publish:test', env: ['TEST_PYPI_TOKEN', 'TEST_PYPI_URL'], deps: [build], run: () => {} })
  const publishProd = task({ name: 'publish:prod', env: ['PYPI_TOKEN', 'DEPLOY_HOST'], deps: [build], run: () => {} })
  const releaseTest = task({ name: 'release:test', deps: [lint, build, publishTest] })
  return {
    lint,
    test,
    build,
    publishTest,
    publishProd,
    releaseTest,
    check: task({ ci: ['push', 'pull_request'], deps: [parallel(lint, test)] }),
    releaseProd: task({ name: 'release:prod', ci: ['release', 'dispatch'], confirm: 'Upload to PyPI?', deps: [releaseTest, publishProd] }),
    secrets: ['DEPLOY_HOST'],
  }
}

async function workflow(exports: Record<string, unknown>, facts = node): Promise<{ text: string; w: Workflow }> {
  const text = await generateWorkflow(buildGraph(exports), facts)
  return { text, w: parse(text) as Workflow }
}

/** `${{ secrets.NAME }}`, `${{ vars.NAME }}`. */
const ref = (context: 'secrets' | 'vars', name: string) => `\${{ ${context}.${name} }}`
const taskStep = (job: Job) => job.steps[job.steps.length - 1]!

describe('the generated workflow', () => {
  it('gives a job exactly the secrets and variables its plan requires, on the task step only', async () => {
    const { w } = await workflow(pipeline())
    expect(taskStep(w.jobs['release-prod']!).env).toEqual({
      DEPLOY_HOST: ref('secrets', 'DEPLOY_HOST'), // declared secret by `export const secrets`
      PYPI_TOKEN: ref('secrets', 'PYPI_TOKEN'),
      TEST_PYPI_TOKEN: ref('secrets', 'TEST_PYPI_TOKEN'),
      TEST_PYPI_URL: ref('vars', 'TEST_PYPI_URL'),
    })
    // npm ci runs dependencies' install scripts: no step but the task's sees a secret.
    for (const job of Object.values(w.jobs)) {
      expect(job.env).toBeUndefined()
      for (const step of job.steps.slice(0, -1)) expect(step.env).toBeUndefined()
    }
  })

  it('gives a job that needs no variable no env at all', async () => {
    const { w, text } = await workflow(pipeline())
    expect(taskStep(w.jobs.check!).env).toBeUndefined()
    const checkJob = text.slice(text.indexOf('\n  check:'), text.indexOf('\n  release-prod:'))
    expect(checkJob).not.toMatch(/secrets\.|vars\./)
  })

  it("counts a task's own `secret: [...]` as a variable its plan uses, and leaves what the runner sets alone", async () => {
    const deploy = task({ ci: ['push'], env: ['GITHUB_SHA', 'CI', 'GITHUB_TOKEN'], secret: ['DEPLOY_HOST'], run: () => {} })
    const { w, text } = await workflow({ deploy })
    expect(taskStep(w.jobs.deploy!).env).toEqual({
      DEPLOY_HOST: ref('secrets', 'DEPLOY_HOST'),
      GITHUB_TOKEN: ref('secrets', 'GITHUB_TOKEN'),
    })
    expect(text).toContain("GITHUB_TOKEN is the run's own token")
  })

  it('runs a plan with a confirm in an environment named after the task, and says how to set it up', async () => {
    const { w, text } = await workflow(pipeline())
    expect(w.jobs['release-prod']!.environment).toBe('release-prod')
    expect(w.jobs.check!.environment).toBeUndefined()
    expect(text).toContain('release:prod asks "Upload to PyPI?"')
    expect(text).toMatch(/environment 'release-prod'[^\n]*\n\s*# create it under Settings > Environments and add required reviewers/)
    expect(text).toContain("Put this job's secrets in that environment: DEPLOY_HOST, PYPI_TOKEN, TEST_PYPI_TOKEN.")
    expect(taskStep(w.jobs['release-prod']!).run).toBe('npm exec --no -- run --yes release:prod')
  })

  it('keeps release jobs from overlapping, and leaves check jobs alone', async () => {
    const tagged = task({ name: 'publish', ci: ['tag'], run: () => {} })
    const { w } = await workflow({ ...pipeline(), tagged })
    expect(w.jobs['release-prod']!.concurrency).toEqual({ group: 'runts-release-prod', 'cancel-in-progress': false })
    expect(w.jobs.publish!.concurrency).toEqual({ group: 'runts-publish', 'cancel-in-progress': false })
    expect(w.jobs.check!.concurrency).toBeUndefined()
    const confirmed = task({ ci: ['push'], confirm: 'Sure?', run: () => {} })
    expect((await workflow({ confirmed })).w.jobs.confirmed!.concurrency?.['cancel-in-progress']).toBe(false)
  })

  it('triggers on the union of the events, and runs each job on its own only', async () => {
    const tagged = task({ name: 'publish', ci: ['tag'], run: () => {} })
    const { w } = await workflow({ ...pipeline(), tagged })
    expect(w.on).toEqual({
      push: { branches: ['**'], tags: ['v*'] },
      pull_request: null,
      release: { types: ['published'] },
      workflow_dispatch: null,
    })
    expect(w.jobs.check!.if).toBe(
      "(github.event_name == 'push' && startsWith(github.ref, 'refs/heads/')) || github.event_name == 'pull_request'",
    )
    expect(w.jobs['release-prod']!.if).toBe("github.event_name == 'release' || github.event_name == 'workflow_dispatch'")
    expect(w.jobs.publish!.if).toBe("github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')")
  })

  it('needs no `if:` for a job that runs on every event of the workflow', async () => {
    const { w } = await workflow({ check: task({ ci: ['pull_request', 'push'], run: () => {} }) })
    expect(w.on).toEqual({ push: { branches: ['**'] }, pull_request: null })
    expect(w.jobs.check!.if).toBeUndefined()
  })

  it('reads the repository and nothing more, and says how a task would need more', async () => {
    const { w, text } = await workflow(pipeline())
    expect(w.permissions).toEqual({ contents: 'read' })
    expect(text).toMatch(/# [^\n]*gh release upload[^\n]*\n# would need `contents: write`/)
    for (const job of Object.values(w.jobs)) expect(job).not.toHaveProperty('permissions')
  })

  it('starts with a comment saying it is generated, and how to regenerate and check it', async () => {
    const { text } = await workflow(pipeline())
    expect(text.split('\n').slice(0, 3)).toEqual([
      '# Generated by `run --ci github` from the `ci` options in tasks.config.ts: do not edit it by hand.',
      '# After changing the tasks file, regenerate it with `npx run --ci github`;',
      '# `npx run --ci github --check` exits 1 with a diff while this file is stale.',
    ])
    const custom = await generateWorkflow(buildGraph(pipeline()), node, { tasksFile: 'ci/my tasks.ts' })
    expect(custom).toContain("regenerate it with `npx run -f 'ci/my tasks.ts' --ci github`")
    expect(custom).toContain("run: npm exec --no -- run -f 'ci/my tasks.ts' --yes check")
  })

  it('is the same bytes for the same input, whatever order tasks, events and variables were written in', async () => {
    const a = await workflow(pipeline())
    const again = await workflow(pipeline())
    expect(again.text).toBe(a.text)
    const p = pipeline()
    const reordered = {
      secrets: p.secrets,
      releaseProd: task({
        name: 'release:prod',
        ci: ['dispatch', 'release', 'release'],
        confirm: 'Upload to PyPI?',
        deps: [p.releaseTest, p.publishProd],
      }),
      check: task({ ci: ['pull_request', 'push'], deps: [parallel(p.lint, p.test)] }),
    }
    expect((await workflow(reordered)).text).toBe(a.text)
  })

  it('sets up Node and Python as the project says, with npm ci only when there is a lock file', async () => {
    const check = task({ ci: ['push'], run: () => {} })
    const py = await workflow({ check }, { node: { file: '.nvmrc' }, python: { version: '3.10' } })
    const steps = py.w.jobs.check!.steps
    expect(steps.map((s) => s.uses ?? s.run)).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'actions/setup-python@v5',
      'npm install',
      'npm exec --no -- run --yes check',
    ])
    expect(steps[1]!.with).toEqual({ 'node-version-file': '.nvmrc' })
    // Quoted in the file: a bare 3.10 is the number 3.1.
    expect(steps[2]!.with).toEqual({ 'python-version': '3.10' })
    expect(py.text).toContain('python-version: "3.10"')
    const locked = await workflow({ check })
    expect(locked.w.jobs.check!.steps[1]!.with).toEqual({ 'node-version': '>=20.19', cache: 'npm' })
    expect(locked.w.jobs.check!.steps.map((s) => s.run).filter(Boolean)).toEqual(['npm ci', 'npm exec --no -- run --yes check'])
  })

  it('never writes a value from .env, even when .env holds the secret the job needs', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'runts-ci-'))
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ engines: { node: '>=20' } }))
    writeFileSync(path.join(root, '.env'), 'PYPI_TOKEN=pypi-AgEIcHlwaS5vcmc-secret-value\nTEST_PYPI_URL=https://upload.example.test/\n')
    writeFileSync(path.join(root, '.env.local'), 'DEPLOY_HOST=deploy.internal.example\n')
    const { text } = await workflow(pipeline(), detectProject(root))
    expect(text).toContain(`PYPI_TOKEN: ${ref('secrets', 'PYPI_TOKEN')}`)
    for (const value of ['pypi-AgEIcHlwaS5vcmc-secret-value', 'upload.example.test', 'deploy.internal.example'])
      expect(text).not.toContain(value)
  })

  it('names jobs after their tasks, made safe and unique', async () => {
    const { w } = await workflow({
      a: task({ name: 'release:prod', ci: ['push'], run: () => {} }),
      b: task({ name: 'release-prod', ci: ['push'], run: () => {} }),
      c: task({ name: '2fast', ci: ['push'], run: () => {} }),
    })
    expect(Object.keys(w.jobs)).toEqual(['task-2fast', 'release-prod', 'release-prod-2'])
    expect(Object.values(w.jobs).map((j) => j.name)).toEqual(['2fast', 'release-prod', 'release:prod'])
  })

  it('refuses a file with no `ci`, a private task with `ci`, and a variable GitHub cannot name', async () => {
    await expect(workflow({ build: task({ run: () => {} }) })).rejects.toThrow(/no task declares `ci`/)
    const hidden = task({ name: 'hidden', ci: ['push'], run: () => {} })
    await expect(workflow({ main: task({ deps: [hidden] }) })).rejects.toThrow(/'hidden' has `ci` but is not exported/)
    const error = await workflow({ x: task({ ci: ['push'], env: ['my-var'], run: () => {} }) }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RuntsError)
    expect((error as RuntsError).exitCode).toBe(2)
    expect((error as RuntsError).message).toContain("'my-var'")
  })
})
