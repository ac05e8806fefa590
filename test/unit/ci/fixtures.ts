/** Shared by the workflow tests: a release pipeline like the python template's, and its workflow parsed back. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { parallel, task } from '../../../src/api/task.js'
import type { ProjectFacts } from '../../../src/ci/project.js'
import { generateWorkflow } from '../../../src/ci/workflow.js'
import { buildGraph } from '../../../src/plan/graph.js'

export interface Step {
  name: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
}
export interface Job {
  name: string
  if?: string
  environment?: string
  concurrency?: { group: string; 'cancel-in-progress': boolean }
  env?: unknown
  steps: Step[]
}
export interface Workflow {
  on: Record<string, unknown>
  permissions: Record<string, string>
  jobs: Record<string, Job>
}

export const node: ProjectFacts = { node: { version: '>=20.19' }, lockFile: 'package-lock.json' }
/** A Python project (a pyproject.toml) with runts installed by npm. */
export const python: ProjectFacts = { ...node, python: { version: '>=3.9' } }

/** A release pipeline like the python template's, with `ci` on check and release:prod. */
export function pipeline() {
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

export async function workflow(exports: Record<string, unknown>, facts = node): Promise<{ text: string; w: Workflow }> {
  const text = await generateWorkflow(buildGraph(exports), facts)
  return { text, w: parse(text) as Workflow }
}

/** `${{ secrets.NAME }}`, `${{ vars.NAME }}`. */
export const ref = (context: 'secrets' | 'vars', name: string) => `\${{ ${context}.${name} }}`
export const taskStep = (job: Job) => job.steps[job.steps.length - 1]!

const folders: string[] = []

/** A temp folder holding these files; `removeFolders` (after all tests) deletes them all. */
export function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-ci-'))
  folders.push(dir)
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
  return dir
}

export function removeFolders(): void {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true })
}
