/**
 * Every workflow runts writes passes actionlint 1.7 with no finding: for both
 * templates as they are in tasks/, for this repository's own tasks file and for
 * a Python project.
 */
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { CiEvent } from '../../../src/api/ci-events.js'
import { task } from '../../../src/api/task.js'
import { detectProject } from '../../../src/ci/project.js'
import { generateWorkflow } from '../../../src/ci/workflow.js'
import { buildGraph } from '../../../src/plan/graph.js'
import { actionlint } from '../../helpers/actionlint.js'
import { repo } from '../../helpers/project.js'
import { loadGraph } from '../../helpers/tasks-graph.js'
import { folder, removeFolders } from './fixtures.js'

afterAll(removeFolders)

const npmProject = folder({ 'package.json': JSON.stringify({ engines: { node: '>=20.19' } }), 'package-lock.json': '{}' })
const pyproject = '[project]\nname = "sample"\nrequires-python = ">=3.9, <3.14"\n'
const pythonProject = folder({ 'package.json': '{}', 'package-lock.json': '{}', 'pyproject.toml': pyproject })
const pinnedPython = folder({ 'package.json': '{}', '.nvmrc': '22\n', 'pyproject.toml': pyproject, '.python-version': '3.12\n' })

/**
 * A template's graph with the `ci` it declares. Until the templates declare `ci` (another change
 * adds it), the events given here stand in, on the tasks that will carry them.
 */
async function template(file: string, standIn: Record<string, CiEvent[]>) {
  const graph = await loadGraph(path.join(repo, 'tasks', file))
  const declared = [...graph.byName.values()].some((node) => node.ci.length > 0)
  return declared ? graph : loadGraph(path.join(repo, 'tasks', file), standIn)
}

describe('actionlint', () => {
  it('finds nothing in the npm template, whose jobs install with npm ci alone', async () => {
    const graph = await template('npm-package.ts', { build: ['push', 'pull_request'], 'release:prod': ['release', 'dispatch'] })
    const text = await generateWorkflow(graph, detectProject(npmProject))
    expect(text).toContain('run: npm ci')
    expect(text).not.toContain('run --yes install')
    expect(await actionlint(text)).toEqual([])
  })

  it('finds nothing in the python template, for a Python project pinned or not', async () => {
    const graph = await template('python-package.ts', { check: ['push', 'pull_request'], 'release:prod': ['release', 'dispatch'] })
    for (const project of [pythonProject, pinnedPython]) {
      const text = await generateWorkflow(graph, detectProject(project))
      expect(text).toContain('actions/setup-python@v5')
      expect(text).toContain('run: npm exec --no -- run --yes install')
      expect(await actionlint(text)).toEqual([])
    }
  })

  it("finds nothing in this repository's own tasks file, as it declares `ci`", async () => {
    const graph = await loadGraph(path.join(repo, 'tasks.config.ts'))
    expect(graph.byName.get('check')!.ci).toEqual(['push', 'pull_request'])
    expect(await actionlint(await generateWorkflow(graph, detectProject(repo)))).toEqual([])
  })

  it('finds nothing with every event, the run token, variables and a tasks file named with -f', async () => {
    const graph = buildGraph({
      check: task({ ci: ['push', 'pull_request'], env: ['LOG_LEVEL'], run: () => {} }),
      deploy: task({
        name: 'deploy:site',
        ci: ['tag', 'dispatch', 'release'],
        env: ['GITHUB_TOKEN', 'SITE_AUTH'],
        confirm: "Deploy? It's live",
        run: () => {},
      }),
    })
    const text = await generateWorkflow(graph, detectProject(npmProject), { tasksFile: 'ci/tasks file.ts' })
    expect(await actionlint(text)).toEqual([])
  })

  it('finds nothing when a task name and its question hold control characters and line separators', async () => {
    const graph = buildGraph({
      check: task({ name: 'check\x01\x1b[2J', ci: ['push', 'dispatch'], confirm: 'Ship\u2028it\x7f\u0085\x01?', run: () => {} }),
      other: task({ ci: ['push'], run: () => {} }),
    })
    const text = await generateWorkflow(graph, detectProject(npmProject))
    // A comment is for people: what it cannot hold raw is written as its escape.
    expect(text).toContain('# check\\u0001\\u001b[2J asks "Ship\\u2028it\\u007f\\u0085\\u0001?".')
    expect(await actionlint(text)).toEqual([])
  })

  it('does find what is wrong (the check above is not vacuous)', async () => {
    const graph = buildGraph({ check: task({ ci: ['push', 'release'], env: ['PYPI_TOKEN'], run: () => {} }) })
    const text = await generateWorkflow(graph, detectProject(npmProject))
    const broken = text.replace('actions/setup-node@v4', 'actions/setup-node@v3').replace('secrets.PYPI_TOKEN', 'secret.PYPI_TOKEN')
    const findings = await actionlint(broken)
    expect(findings).toHaveLength(2)
    expect(findings[0]).toMatch(/setup-node@v3.*too old/)
    expect(findings[1]).toMatch(/undefined variable "secret"/)
  })
})
