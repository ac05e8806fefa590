/** What each job gets of the variables: secrets scoped by the plan, environments for confirms, never a value. */
import { afterAll, describe, expect, it } from 'vitest'
import { task } from '../../../src/api/task.js'
import { detectProject } from '../../../src/ci/project.js'
import { folder, pipeline, ref, removeFolders, taskStep, workflow } from './fixtures.js'

afterAll(removeFolders)

describe('secrets in the generated workflow', () => {
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

  it('says of a question a function words when it runs that the task asks for approval', async () => {
    const publish = task({ name: 'publish:prod', ci: ['release'], confirm: () => 'Upload sample 1.0 to PyPI?', run: () => {} })
    const { w, text } = await workflow({ publish })
    expect(w.jobs['publish-prod']!.environment).toBe('publish-prod')
    expect(text).toContain(
      "  # publish:prod asks for approval (its question is worded when it runs).\n  # In CI the required reviewers of the environment 'publish-prod' give that approval:\n",
    )
    expect(text).not.toContain('a question it writes')
  })

  it('names the secrets and variables to create for a job without an environment, and warns about forks', async () => {
    const publish = task({ ci: ['push', 'pull_request'], env: ['NPM_TOKEN', 'REGISTRY_URL'], run: () => {} })
    const { text } = await workflow({ publish })
    expect(text).toContain(
      [
        '  # Secrets (Settings > Secrets and variables > Actions): NPM_TOKEN.',
        '  # Variables (Settings > Secrets and variables > Actions, Variables): REGISTRY_URL.',
        '  # Pull requests from forks get no secrets: there this job runs without them, and stops at once if it requires them.',
        '  publish:',
      ].join('\n'),
    )
  })

  it('marks the variables that have a default as optional, and says what unset means', async () => {
    const publish = task({
      ci: ['release'],
      env: ['NPM_TOKEN'],
      optional: { REGISTRY_URL: 'https://registry.npmjs.org/', NPM_TAG: undefined },
      run: () => {},
    })
    const { w, text } = await workflow({ publish })
    expect(text).toContain('  # Secrets (Settings > Secrets and variables > Actions): NPM_TOKEN.\n')
    expect(text).toContain(
      '  # Variables (Settings > Secrets and variables > Actions, Variables): NPM_TAG (optional), REGISTRY_URL (optional).\n',
    )
    expect(text).toContain(
      '  # Optional ones may stay unset: the tasks file gives them a default or does without (`run --env TASK` shows which);\n',
    )
    // Still passed on: set on GitHub, it reaches the task.
    expect(taskStep(w.jobs.publish!).env).toMatchObject({ REGISTRY_URL: ref('vars', 'REGISTRY_URL'), NPM_TAG: ref('vars', 'NPM_TAG') })
  })

  it('never writes a value from .env, even when .env holds the secret the job needs', async () => {
    const root = folder({
      'package.json': JSON.stringify({ engines: { node: '>=20' } }),
      '.env': 'PYPI_TOKEN=pypi-AgEIcHlwaS5vcmc-secret-value\nTEST_PYPI_URL=https://upload.example.test/\n',
      '.env.local': 'DEPLOY_HOST=deploy.internal.example\n',
    })
    const { text } = await workflow(pipeline(), detectProject(root))
    expect(text).toContain(`PYPI_TOKEN: ${ref('secrets', 'PYPI_TOKEN')}`)
    for (const value of ['pypi-AgEIcHlwaS5vcmc-secret-value', 'upload.example.test', 'deploy.internal.example'])
      expect(text).not.toContain(value)
  })
})
