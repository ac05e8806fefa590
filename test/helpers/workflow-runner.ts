/**
 * A small stand-in for a GitHub runner: it reads a generated workflow and runs
 * one job's steps in order in a fresh folder, as GitHub would: each `run:`
 * through `bash -e`, with GITHUB_ACTIONS=true, a GITHUB_STEP_SUMMARY file, and
 * the job's and step's `env` with `${{ secrets.X }}` / `${{ vars.X }}` filled
 * from a fake store (an unset one is empty, as on GitHub). A `uses:` step runs
 * the stub the test gives for that action, which does locally what the action
 * does; an action without a stub fails the job. The first failing step stops it.
 * The event (`github.event_name`, `github.ref`, GITHUB_REF) is the test's; a step
 * with an `id` gets a GITHUB_OUTPUT file, read back as `steps.ID.outputs.NAME`; a
 * step's `if:` is evaluated when it is made of `==` / `!=` comparisons of those
 * with quoted strings joined by `&&` and `||` (anything else is an error, not a guess).
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
  id?: string
  if?: string
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
  /** Its `if:` did not hold: it did not run. */
  skipped?: boolean
}

/** What started the run. */
export interface Event {
  name: string
  /** `refs/heads/main`, `refs/tags/v1.0.0`. */
  ref: string
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
  /** The event (default: a push to main). */
  event?: Event
  /** What the runner machine itself sets for every step (GIT_CONFIG_GLOBAL=/dev/null: a runner with no git user). */
  machine?: Record<string, string>
}

/** Runs the job `jobId` of `workflow` (its text) with these stubs for its actions and this store for its expressions. */
export async function runJob(
  workflow: string,
  jobId: string,
  { stubs, store, workspaceIn, event: given, machine }: RunOptions,
): Promise<JobResult> {
  const event = given ?? { name: 'push', ref: 'refs/heads/main' }
  const outputs: Record<string, Record<string, string>> = {}
  const context = { event, outputs, store }
  const job = (parse(workflow) as { jobs: Record<string, { env?: Record<string, string>; steps: WorkflowStep[] }> }).jobs[jobId]
  if (!job) throw new Error(`the workflow has no job '${jobId}'`)
  const temp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-runner-')))
  const runner: Runner = { workspace: mkdtempSync(path.join(workspaceIn ?? temp, 'workspace-')), temp, path: [] }
  const summaryFile = path.join(temp, 'step-summary.md')
  writeFileSync(summaryFile, '')
  const steps: StepResult[] = []
  for (const [index, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? step.run ?? `step ${index}`
    if (step.if !== undefined && !holds(step.if, context)) {
      steps.push({ name, code: 0, output: '', skipped: true })
      continue
    }
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
      GITHUB_EVENT_NAME: event.name,
      GITHUB_REF: event.ref,
      GITHUB_OUTPUT: path.join(temp, `output-${index}`),
      RUNNER_TEMP: temp,
      ...machine,
      ...fill(job.env, context),
      ...fill(step.env, context),
    }
    writeFileSync(env.GITHUB_OUTPUT!, '')
    const script = path.join(temp, `step-${index}.sh`)
    writeFileSync(script, step.run ?? '')
    // GitHub's default shell on Linux: `bash -e {0}`.
    const result = await bash(script, runner.workspace, env)
    if (step.id) outputs[step.id] = readOutputs(readFileSync(env.GITHUB_OUTPUT!, 'utf8'))
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

interface Context {
  event: Event
  outputs: Record<string, Record<string, string>>
  store: Store
}

/** `NAME=value` lines a step appended to GITHUB_OUTPUT (the `<<DELIMITER` form is not simulated). */
function readOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\n').filter(Boolean)) {
    const at = line.indexOf('=')
    if (at < 1) throw new Error(`GITHUB_OUTPUT line not simulated: ${line}`)
    out[line.slice(0, at)] = line.slice(at + 1)
  }
  return out
}

/** An `env:` block with its expressions filled in; one that is not a value lookup is an error. */
function fill(env: Record<string, string> | undefined, context: Context): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env ?? {})) {
    out[name] = value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => lookup(expression, context))
  }
  return out
}

/** `secrets.X`, `vars.X` (from the store), `steps.ID.outputs.X`, `github.event_name`, `github.ref`; an unset one is ''. */
function lookup(expression: string, { event, outputs, store }: Context): string {
  if (expression === 'github.event_name') return event.name
  if (expression === 'github.ref') return event.ref
  const stored = /^(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression)
  if (stored) return store[stored[1] as keyof Store][stored[2]!] ?? ''
  const output = /^steps\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(expression)
  if (output) return outputs[output[1]!]?.[output[2]!] ?? ''
  throw new Error(`expression not simulated: ${expression}`)
}

/** A step's `if:`: comparisons joined by `&&` and `||` (no parentheses), as runts writes them. */
function holds(condition: string, context: Context): boolean {
  return condition.split('||').some((any) =>
    any.split('&&').every((part) => {
      const m = /^\s*([A-Za-z_][\w.-]*)\s*(==|!=)\s*'([^']*)'\s*$/.exec(part)
      if (!m) throw new Error(`condition not simulated: ${condition}`)
      return (lookup(m[1]!, context) === m[3]) === (m[2] === '==')
    }),
  )
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
