/**
 * A small stand-in for a GitHub runner: it reads a generated workflow and runs
 * one job's steps in order in a fresh folder, as GitHub would: each `run:`
 * through `bash -e`, with GITHUB_ACTIONS=true, a GITHUB_STEP_SUMMARY file, and
 * the job's and step's `env` with `${{ secrets.X }}` / `${{ vars.X }}` filled
 * from a fake store (an unset one is empty, as on GitHub). A `uses:` step runs
 * the stub the test gives for that action, which does locally what the action
 * does; an action without a stub fails the job. The first failing step stops it.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'

export interface Store {
  secrets: Record<string, string>
  vars: Record<string, string>
}

export interface WorkflowStep {
  name?: string
  uses?: string
  with?: Record<string, unknown>
  run?: string
  env?: Record<string, string>
}

export interface Runner {
  /** The job's workspace: where the checkout goes and every step runs. */
  workspace: string
  /** The runner's own temp folder (RUNNER_TEMP), for what a stub installs. */
  temp: string
  /** Folders a set-up stub puts first on PATH, as setup-node and setup-python do. */
  path: string[]
}

/** Does locally what the action does, given its `with:` inputs. */
export type Stub = (inputs: Record<string, unknown>, runner: Runner) => void | Promise<void>

export interface StepResult {
  name: string
  code: number
  output: string
}

export interface JobResult {
  /** The runner's temp folder: the test removes it, and the workspace. */
  root: string
  /** The code of the last step run: 0 when every step succeeded. */
  code: number
  steps: StepResult[]
  workspace: string
  /** What the steps appended to $GITHUB_STEP_SUMMARY. */
  summary: string
}

export interface RunOptions {
  stubs: Record<string, Stub>
  store: Store
  /** The folder to make the workspace in (default: the runner's temp folder). */
  workspaceIn?: string
}

/** Runs the job `jobId` of `workflow` (its text) with these stubs for its actions and this store for its expressions. */
export async function runJob(workflow: string, jobId: string, { stubs, store, workspaceIn }: RunOptions): Promise<JobResult> {
  const job = (parse(workflow) as { jobs: Record<string, { env?: Record<string, string>; steps: WorkflowStep[] }> }).jobs[jobId]
  if (!job) throw new Error(`the workflow has no job '${jobId}'`)
  const temp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-runner-')))
  const runner: Runner = { workspace: mkdtempSync(path.join(workspaceIn ?? temp, 'workspace-')), temp, path: [] }
  const summaryFile = path.join(temp, 'step-summary.md')
  writeFileSync(summaryFile, '')
  const steps: StepResult[] = []
  for (const [index, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? step.run ?? `step ${index}`
    if (step.uses) {
      const stub = stubs[step.uses.replace(/@.*$/, '')]
      if (!stub) throw new Error(`no stub for ${step.uses}: the test must say what it does locally`)
      await stub(step.with ?? {}, runner)
      steps.push({ name, code: 0, output: '' })
      continue
    }
    if (step.run?.includes('${{')) throw new Error(`an expression in a run script is not simulated: ${step.run}`)
    const env: Record<string, string> = {
      PATH: [...runner.path, process.env.PATH].join(path.delimiter),
      HOME: process.env.HOME ?? temp,
      LANG: 'C.UTF-8',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: runner.workspace,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: temp,
      ...fill(job.env, store),
      ...fill(step.env, store),
    }
    const script = path.join(temp, `step-${index}.sh`)
    writeFileSync(script, step.run ?? '')
    // GitHub's default shell on Linux: `bash -e {0}`.
    const result = await bash(script, runner.workspace, env)
    steps.push({ name, ...result })
    if (result.code !== 0) break
  }
  return {
    root: temp,
    code: steps[steps.length - 1]?.code ?? 0,
    steps,
    workspace: runner.workspace,
    summary: readFileSync(summaryFile, 'utf8'),
  }
}

/** An `env:` block with its secrets and variables filled in; any other expression is an error. */
function fill(env: Record<string, string> | undefined, store: Store): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env ?? {})) {
    out[name] = value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
      const match = /^(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression)
      if (!match) throw new Error(`expression not simulated: ${expression}`)
      return store[match[1] as keyof Store][match[2]!] ?? ''
    })
  }
  return out
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }))
  })
}
