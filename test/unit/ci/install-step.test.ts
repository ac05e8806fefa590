/**
 * In a Python project, a job runs the tasks file's own `install` after `npm ci` (npm does not install
 * the project's tools), unless its plan already does; in a Node project `install` is `npm ci` again, and
 * no job runs it.
 */
import { describe, expect, it } from 'vitest'
import { task } from '../../../src/api/task.js'
import { node, pipeline, python, ref, taskStep, workflow } from './fixtures.js'

const install = task({ description: 'pip install -e .[dev]', run: () => {} })
const runs = (steps: Array<{ uses?: string; run?: string }>) => steps.map((s) => s.uses ?? s.run)

describe('the install step', () => {
  it('runs `run --yes install` after npm ci and before the task in a Python project, and says why in the job comment', async () => {
    const { w, text } = await workflow({ ...pipeline(), install }, python)
    for (const [id, name] of [
      ['check', 'check'],
      ['release-prod', 'release:prod'],
    ]) {
      expect(runs(w.jobs[id!]!.steps)).toEqual([
        'actions/checkout@v4',
        'actions/setup-node@v4',
        'actions/setup-python@v5',
        'npm ci',
        'npm exec --no -- run --yes install',
        `npm exec --no -- run --yes ${name}`,
      ])
      expect(w.jobs[id!]!.steps[4]!.name).toBe('run install')
    }
    expect(text).toContain(
      "  # Before check, the tasks file's own `run install` installs what the Install step does not: the project's tools.\n  check:",
    )
  })

  it('is left out in a Node project: npm ci installed what its install would, and twice is waste', async () => {
    const { w, text } = await workflow({ ...pipeline(), install: task({ run: () => {} }) }, node)
    for (const id of ['check', 'release-prod']) {
      expect(runs(w.jobs[id]!.steps).filter((r) => r?.includes('install'))).toEqual([])
      expect(runs(w.jobs[id]!.steps)).toContain('npm ci')
    }
    expect(text).not.toContain('`run install`')
  })

  it('is left out when there is no public install, or when the plan runs it already', async () => {
    const withoutInstall = await workflow(pipeline(), python)
    expect(runs(withoutInstall.w.jobs.check!.steps)).not.toContain('npm exec --no -- run --yes install')
    expect(withoutInstall.text).not.toContain('`run install`')

    const hidden = task({ name: 'install', run: () => {} })
    const privateInstall = await workflow({ setup: task({ deps: [hidden] }), check: task({ ci: ['push'], run: () => {} }) }, python)
    expect(runs(privateInstall.w.jobs.check!.steps).filter((r) => r?.includes('run --yes'))).toEqual(['npm exec --no -- run --yes check'])

    const check = task({ ci: ['push'], deps: [install], run: () => {} })
    const inPlan = await workflow({ install, check }, python)
    expect(runs(inPlan.w.jobs.check!.steps).filter((r) => r?.includes('run --yes'))).toEqual(['npm exec --no -- run --yes check'])

    const own = await workflow({ install: task({ ci: ['push'], run: () => {} }) }, python)
    expect(runs(own.w.jobs.install!.steps).filter((r) => r?.includes('run --yes'))).toEqual(['npm exec --no -- run --yes install'])
  })

  it("gives the install step its own plan's variables, and the task step none of them", async () => {
    const indexed = task({ env: ['PIP_INDEX_TOKEN', 'PIP_INDEX_URL'], run: () => {} })
    const { w, text } = await workflow({ ...pipeline(), install: indexed }, python)
    const steps = w.jobs.check!.steps
    expect(steps[4]!.env).toEqual({ PIP_INDEX_TOKEN: ref('secrets', 'PIP_INDEX_TOKEN'), PIP_INDEX_URL: ref('vars', 'PIP_INDEX_URL') })
    expect(taskStep(w.jobs.check!).env).toBeUndefined()
    expect(taskStep(w.jobs['release-prod']!).env).not.toHaveProperty('PIP_INDEX_TOKEN')
    // What to create on GitHub covers both steps.
    expect(text).toContain("Put this job's secrets in that environment: DEPLOY_HOST, PIP_INDEX_TOKEN, PYPI_TOKEN, TEST_PYPI_TOKEN.")
    expect(text).toContain('  # Secrets (Settings > Secrets and variables > Actions): PIP_INDEX_TOKEN.\n')
  })

  it("counts the install's confirm as an approval the job's environment gives", async () => {
    const asking = task({ name: 'install', confirm: 'Install system packages?', run: () => {} })
    const { w, text } = await workflow({ install: asking, check: task({ ci: ['push'], run: () => {} }) }, python)
    expect(w.jobs.check!.environment).toBe('check')
    expect(text).toContain('install asks "Install system packages?"')
  })
})
