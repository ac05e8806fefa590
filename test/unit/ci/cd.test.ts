// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected texts are GitHub expressions, ${{ }} included
/**
 * The packaging course's workflow: a release job that runs on a push to named branches once other jobs
 * passed (`ci: { on, branches, needs, version }`), `run version` first with its commit and tag pushed,
 * write permissions only where a task tags, releases or publishes, and a Python test job on a matrix of
 * the supported minors with pip's cache. Both templates as they are in tasks/, through actionlint 1.7.
 */
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { task } from '../../../src/api/task.js'
import { detectProject } from '../../../src/ci/project.js'
import { NEWEST_PYTHON_MINOR, supportedMinors } from '../../../src/ci/python-version.js'
import { generateWorkflow } from '../../../src/ci/workflow.js'
import { RuntsError } from '../../../src/errors.js'
import { buildGraph } from '../../../src/plan/graph.js'
import { actionlint } from '../../helpers/actionlint.js'
import { repo } from '../../helpers/project.js'
import { loadGraph } from '../../helpers/tasks-graph.js'
import { folder, type Job, python, removeFolders, workflow } from './fixtures.js'

afterAll(removeFolders)

type CdJob = Job & { needs?: string[]; permissions?: Record<string, string>; strategy?: { matrix: { python: string[] } } }

const pyproject = '[project]\nname = "sample"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
const pythonProject = folder({ 'package.json': '{}', 'package-lock.json': '{}', 'pyproject.toml': pyproject })
const npmProject = folder({ 'package.json': JSON.stringify({ name: 'x', engines: { node: '>=20.19' } }), 'package-lock.json': '{}' })

describe('the python template’s workflow', async () => {
  const graph = await loadGraph(path.join(repo, 'tasks', 'python-package.ts'))
  const text = await generateWorkflow(graph, detectProject(pythonProject))
  const w = (await import('yaml')).parse(text) as { on: Record<string, unknown>; jobs: Record<string, CdJob> }
  const release = w.jobs['release-prod']!
  const verify = w.jobs.verify!

  it('passes actionlint', async () => {
    expect(await actionlint(text)).toEqual([])
  })

  it('verifies every push and pull request on each supported Python minor, with pip’s cache, and no write permission', () => {
    const minors = Array.from({ length: NEWEST_PYTHON_MINOR - 10 }, (_, i) => `3.${11 + i}`)
    expect(verify.strategy?.matrix.python).toEqual(minors)
    expect(verify.steps.find((s) => s.uses?.startsWith('actions/setup-python'))!.with).toEqual({
      'python-version': '${{ matrix.python }}',
      cache: 'pip',
      'cache-dependency-path': 'pyproject.toml',
    })
    expect(verify.permissions).toBeUndefined()
    expect(verify.if).toBe("(github.event_name == 'push' && startsWith(github.ref, 'refs/heads/')) || github.event_name == 'pull_request'")
  })

  it('releases on a push to main once verify passed, and on a published release or by hand as before', () => {
    expect(release.needs).toEqual(['verify'])
    expect(release.if).toBe(
      "((github.event_name == 'push' && github.ref == 'refs/heads/main' && needs.verify.result == 'success') || github.event_name == 'release' || github.event_name == 'workflow_dispatch') && !cancelled()",
    )
    expect(w.on.push).toEqual({ branches: ['**'] })
    // One run, on the one Python of the project, with no cache a pull request's run could have written.
    expect(release.strategy).toBeUndefined()
    expect(release.steps.find((s) => s.uses?.startsWith('actions/setup-python'))!.with).toEqual({ 'python-version': '>=3.11' })
  })

  it('runs `run version` first on a push, pushes its commit and tag, and releases only when it made one', () => {
    const names = release.steps.map((s) => s.name)
    expect(names.slice(-3)).toEqual(['run version', 'Push the release commit and tag', 'run release:prod'])
    const [version, push, task] = release.steps.slice(-3) as Array<CdJob['steps'][number] & { id?: string; if?: string }>
    expect(version).toMatchObject({ id: 'version', if: "github.event_name == 'push'", run: 'npm exec --no -- run --yes version' })
    expect(push!.if).toBe("steps.version.outputs.released == 'true'")
    expect(push!.run).toContain('push --atomic origin "HEAD:$GITHUB_REF" "refs/tags/$RELEASE_TAG"')
    // The token reaches git through the environment only.
    expect(push!.run).not.toContain('${{')
    expect(push!.env).toEqual({ GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}', RELEASE_TAG: '${{ steps.version.outputs.tag }}' })
    expect(task!.if).toBe("github.event_name != 'push' || steps.version.outputs.released == 'true'")
    expect(task!.env!.GITHUB_TOKEN).toBe('${{ secrets.GITHUB_TOKEN }}')
    // The whole history: the version is counted from the tags.
    expect(release.steps[0]!.with).toMatchObject({ 'fetch-depth': 0 })
  })

  it('gives contents: write and id-token: write to the release job alone, and says which trusted publisher to register', () => {
    expect(release.permissions).toEqual({ contents: 'write', 'id-token': 'write' })
    expect(text).toContain('# Permission contents: write, asked by version, publish:github.')
    expect(text).toContain('# Permission id-token: write, asked by publish:test, publish:prod.')
    expect(text).toContain('workflow runts.yml, environment release-prod.')
    // With trusted publishing the tokens may stay unset.
    expect(text).toContain('PYPI_TOKEN (optional), TEST_PYPI_TOKEN (optional)')
  })
})

describe('the npm template’s workflow', () => {
  it('passes actionlint; check on every push, the release job on a push to main after it; provenance where it publishes', async () => {
    const graph = await loadGraph(path.join(repo, 'tasks', 'npm-package.ts'))
    const text = await generateWorkflow(graph, detectProject(npmProject))
    expect(await actionlint(text)).toEqual([])
    const w = (await import('yaml')).parse(text) as { jobs: Record<string, CdJob> }
    expect(w.jobs['release-prod']!.needs).toEqual(['check'])
    expect(w.jobs['release-prod']!.permissions).toEqual({ contents: 'write', 'id-token': 'write' })
    expect(w.jobs.check!.permissions).toBeUndefined()
    expect(w.jobs.check!.strategy).toBeUndefined()
    expect(text).toContain("npm publishes with --provenance, signed with this job's ID token.")
  })
})

describe('ci: { on, branches, needs, version }', () => {
  const lint = task({ ci: ['push', 'pull_request'], run: () => {} })
  const test = task({ run: () => {} })

  it('keeps the array form exactly: ci: [events] is ci: { on: [events] }', async () => {
    const a = await workflow({ lint, b: task({ ci: ['release'], run: () => {} }) })
    const b = await workflow({ lint, b: task({ ci: { on: ['release'] }, run: () => {} }) })
    expect(b.text).toBe(a.text)
  })

  it('runs on pushes to the named branches only, and the workflow on those when every push job names them', async () => {
    const deploy = task({ ci: { on: ['push'], branches: ['main', 'release/*'] }, run: () => {} })
    const { w } = await workflow({ deploy })
    expect(w.on.push).toEqual({ branches: ['main', 'release/*'] })
    expect(w.jobs.deploy!.if).toBeUndefined()
    const both = await workflow({ lint, deploy })
    expect(both.w.on.push).toEqual({ branches: ['**'] })
    expect(both.w.jobs.deploy!.if).toBe(
      "github.event_name == 'push' && (github.ref == 'refs/heads/main' || startsWith(github.ref, 'refs/heads/release/'))",
    )
    expect(await actionlint(both.text)).toEqual([])
  })

  it('waits for the needed jobs on the events they run on, and not on the others', async () => {
    const deploy = task({ ci: { on: ['push', 'tag'], branches: ['main'], needs: ['lint'] }, run: () => {} })
    const { w, text } = await workflow({ lint, deploy })
    expect((w.jobs.deploy as CdJob).needs).toEqual(['lint'])
    expect(w.jobs.deploy!.if).toBe(
      "((github.event_name == 'push' && github.ref == 'refs/heads/main' && needs.lint.result == 'success') || (github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v'))) && !cancelled()",
    )
    expect(await actionlint(text)).toEqual([])
  })

  it('refuses what a workflow cannot say, naming the task (exit 2)', async () => {
    const narrow = task({ ci: { on: ['push'], branches: ['develop'] }, run: () => {} })
    const after = task({ ci: { on: ['push'], branches: ['main'], needs: ['narrow'] }, run: () => {} })
    await expect(workflow({ narrow, after })).rejects.toThrow(
      "task 'after' runs on pushes to main after 'narrow', which runs on pushes to develop only",
    )
    await expect(workflow({ lint, after: task({ ci: { on: ['push'], needs: ['lnit'] }, run: () => {} }) })).rejects.toThrow(
      /ci: \{ needs: 'lnit' \}, and no public task has that name/,
    )
    await expect(workflow({ lint, test, after: task({ ci: { on: ['push'], needs: ['test'] }, run: () => {} }) })).rejects.toThrow(
      "task 'after' needs the CI job of 'test', which has no `ci`",
    )
    const odd = task({ ci: { on: ['push'], branches: ['ma?n'] }, run: () => {} })
    const error = await workflow({ lint, odd }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RuntsError)
    expect((error as RuntsError).exitCode).toBe(2)
    expect((error as RuntsError).message).toContain("the branch pattern 'ma?n' cannot be told apart")
  })

  it('is checked when the tasks file loads', () => {
    expect(() => task({ ci: { on: ['push'], branch: ['main'] } as never })).toThrow(
      "task({ ci }) has no option 'branch' (did you mean 'branches'?): the options are on, branches, needs, version",
    )
    expect(() => task({ ci: { on: ['release'], branches: ['main'] } })).toThrow(/applies to pushes, and on has no 'push'/)
    expect(() => task({ ci: { on: ['release'], version: 'version' } })).toThrow(/applies to pushes/)
    expect(() => task({ ci: { on: [] } })).toThrow(/names no event/)
    expect(() => task({ ci: { on: ['push'], needs: [] } })).toThrow(/non-empty array of names/)
  })

  it('gives a job with a version step contents: write even when its task does not ask', async () => {
    const version = task({ run: () => {} })
    const release = task({ ci: { on: ['push'], branches: ['main'], version: 'version' }, run: () => {} })
    const { w, text } = await workflow({ version, release })
    expect((w.jobs.release as CdJob).permissions).toEqual({ contents: 'write' })
    const steps = w.jobs.release!.steps as Array<{ name: string; if?: string }>
    expect(steps.at(-1)!.if).toBe("steps.version.outputs.released == 'true'")
    expect(steps.at(-3)!.if).toBeUndefined()
    expect(await actionlint(text)).toEqual([])
  })
})

describe('a Python test job', () => {
  it('runs on a matrix only when it tests on pushes or pull requests and releases nothing', async () => {
    const test = task({ run: () => {} })
    const publish = task({ permissions: { 'id-token': 'write' }, run: () => {} })
    const facts = { ...python, pythonMinors: ['3.12', '3.13'] }
    const { w } = await workflow(
      {
        test,
        check: task({ ci: ['push', 'pull_request'], deps: [test] }),
        nightly: task({ ci: ['dispatch'], deps: [test] }),
        ship: task({ ci: ['push'], deps: [test, publish] }),
        lint: task({ ci: ['push'], run: () => {} }),
      },
      facts,
    )
    const jobs = w.jobs as Record<string, CdJob>
    expect(jobs.check!.strategy).toEqual({ 'fail-fast': false, matrix: { python: ['3.12', '3.13'] } })
    for (const id of ['nightly', 'ship', 'lint']) expect(jobs[id]!.strategy).toBeUndefined()
  })

  it('takes the minors from requires-python, up to the newest stable', () => {
    const upTo = (from: number) => Array.from({ length: NEWEST_PYTHON_MINOR - from + 1 }, (_, i) => `3.${from + i}`)
    expect(supportedMinors('>=3.9')).toEqual(upTo(9))
    expect(supportedMinors('>=3.9, <3.13')).toEqual(['3.9', '3.10', '3.11', '3.12'])
    expect(supportedMinors('~=3.10')).toEqual(upTo(10))
    expect(supportedMinors('~=3.10.2')).toEqual(['3.10'])
    expect(supportedMinors('==3.11.*')).toEqual(['3.11'])
    expect(supportedMinors('>=3.10,!=3.11.*')).toEqual(upTo(10).filter((v) => v !== '3.11'))
    expect(supportedMinors('>3.9.1,<=3.12')).toEqual(['3.9', '3.10', '3.11', '3.12'])
    expect(supportedMinors('>=3.12,<3.12')).toBeUndefined()
    expect(supportedMinors(undefined)).toBeUndefined()
    expect(detectProject(folder({ 'pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3.13"\n' })).pythonMinors).toEqual(
      upTo(13),
    )
  })
})

describe('what the workflow cannot hold (issue 23)', () => {
  it('refuses variables of one job that differ only in case, naming both and their tasks (exit 2)', async () => {
    const graph = buildGraph({
      fetch: task({ optional: { http_proxy: undefined }, run: () => {} }),
      check: task({ ci: ['push'], optional: { HTTP_PROXY: undefined }, deps: ['fetch'], run: () => {} }),
    })
    const error = await generateWorkflow(graph, detectProject(npmProject)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RuntsError)
    expect((error as RuntsError).exitCode).toBe(2)
    expect((error as RuntsError).message).toBe(
      "the job of 'check' would need both HTTP_PROXY (check) and http_proxy (fetch), which differ only in case: GitHub's secrets, variables and env keys ignore case",
    )
  })

  it('accepts the same names in different jobs', async () => {
    const graph = buildGraph({
      a: task({ ci: ['push'], optional: { http_proxy: undefined }, run: () => {} }),
      b: task({ ci: ['push'], optional: { HTTP_PROXY: undefined }, run: () => {} }),
    })
    expect(await actionlint(await generateWorkflow(graph, detectProject(npmProject)))).toEqual([])
  })

  it('refuses a task name with ${{ in it (exit 2), whichever task of the job has it', async () => {
    for (const name of ['${{ github.event.issue.title }}', 'build-${{ secrets.X }}']) {
      const own = buildGraph({ t: task({ name, ci: ['push'], run: () => {} }) })
      const dep = buildGraph({ t: task({ ci: ['push'], deps: [task({ name, run: () => {} })] }) })
      for (const graph of [own, dep]) {
        const error = await generateWorkflow(graph, detectProject(npmProject)).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(RuntsError)
        expect((error as RuntsError).exitCode).toBe(2)
        expect((error as RuntsError).message).toContain(`the task name ${JSON.stringify(name)} holds \`\${{\``)
      }
    }
  })
})
