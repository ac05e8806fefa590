/**
 * A job's steps: check out, set up Node (and Python for a pyproject.toml),
 * install (npm, then, in a Python project, the tasks file's own `install`), then
 * the task by the project's own runts. Plain data for the YAML
 * writer. Official actions at pinned major versions: ones actionlint 1.7
 * knows, so that their inputs are checked too.
 */
import { TASKS_FILE_NAMES } from '../load/find.js'
import type { CiJob } from './jobs.js'
import type { ProjectFacts, VersionSource } from './project.js'

export const ACTIONS = {
  checkout: 'actions/checkout@v4',
  setupNode: 'actions/setup-node@v4',
  setupPython: 'actions/setup-python@v5',
} as const

export interface WorkflowStep {
  name: string
  id?: string
  if?: string
  uses?: string
  with?: Record<string, string | number | boolean>
  run?: string
  env?: Record<string, string>
}

export interface StepOptions {
  /** The tasks file, relative to the project root: named with `-f` when `run` would not find it by itself. */
  tasksFile?: string
}

/** Every step of the job that runs `job.task`. */
export function jobSteps(job: CiJob, facts: ProjectFacts, options: StepOptions = {}): WorkflowStep[] {
  const steps: WorkflowStep[] = [
    {
      name: 'Check out',
      uses: ACTIONS.checkout,
      // No token left in .git/config for the tasks to find; full history on releases, for tag and version checks.
      with: job.release ? { 'fetch-depth': 0, 'persist-credentials': false } : { 'persist-credentials': false },
    },
    {
      name: 'Set up Node',
      uses: ACTIONS.setupNode,
      with: { ...version('node', facts.node), ...(facts.lockFile ? { cache: 'npm' } : {}) },
    },
  ]
  if (facts.python) steps.push({ name: 'Set up Python', uses: ACTIONS.setupPython, with: pythonInputs(job, facts.python) })
  steps.push({ name: 'Install', run: facts.lockFile ? 'npm ci' : 'npm install' })
  // runts is installed now; a Python project's own tools by its `install` task (see CiJob.install).
  if (job.install) steps.push(taskStep(job.install.task, job.install, options))
  const task = taskStep(job.task, job, options)
  if (job.version) {
    const onlyPushes = job.events.every((event) => event === 'push')
    const step = taskStep(job.version.task, job.version, options)
    steps.push(ordered({ ...step, id: VERSION_STEP, ...(onlyPushes ? {} : { if: "github.event_name == 'push'" }) }), pushStep())
    const released = `steps.${VERSION_STEP}.outputs.released == 'true'`
    task.if = onlyPushes ? released : `github.event_name != 'push' || ${released}`
  }
  steps.push(ordered(task))
  return steps
}

/** A step's keys in the order people write them: name, id, if, then what it does. */
function ordered(step: WorkflowStep): WorkflowStep {
  const { name, id, if: condition, ...rest } = step
  return { name, ...(id === undefined ? {} : { id }), ...(condition === undefined ? {} : { if: condition }), ...rest }
}

/** The id of the step that runs the job's `version` task: its outputs say whether it released. */
export const VERSION_STEP = 'version'

/**
 * After the version step made a release: its commit and tag pushed, atomically, to the branch pushed to, with
 * the run's own token given to git by a credential helper that reads it from the environment (never on a
 * command line, never in .git/config, which the checkout left without one).
 */
function pushStep(): WorkflowStep {
  return {
    name: 'Push the release commit and tag',
    if: `steps.${VERSION_STEP}.outputs.released == 'true'`,
    run: [
      `git -c credential.helper= -c 'credential.helper=!f() { test "$1" = get && echo username=x-access-token && echo "password=$GITHUB_TOKEN"; }; f' \\`,
      '  push --atomic origin "HEAD:$GITHUB_REF" "refs/tags/$RELEASE_TAG"',
      '',
    ].join('\n'),
    env: { GITHUB_TOKEN: `\${{ secrets.GITHUB_TOKEN }}`, RELEASE_TAG: `\${{ steps.${VERSION_STEP}.outputs.tag }}` },
  }
}

/** setup-python's inputs: the job's matrix version or the project's; pip's cache on jobs that release nothing. */
function pythonInputs(job: CiJob, python: VersionSource): Record<string, string> {
  const inputs = job.matrix ? { 'python-version': `\${{ matrix.python }}` } : version('python', python)
  // A release job builds from nothing cached: a cache written by another branch's run could feed it.
  return job.release ? inputs : { ...inputs, cache: 'pip', 'cache-dependency-path': 'pyproject.toml' }
}

/** `run --yes TASK`, with the variables its plan uses. */
function taskStep(task: string, variables: Variables, options: StepOptions): WorkflowStep {
  const step: WorkflowStep = { name: `run ${task}`, run: runCommand(task, options.tasksFile) }
  const env = jobEnv(variables)
  // On runts' own steps only: `npm ci` runs the install scripts of every dependency, and they get no secret.
  if (Object.keys(env).length > 0) step.env = env
  return step
}

type Variables = Pick<CiJob, 'secrets' | 'vars'>

/** These variables as GitHub expressions, by name: secrets from `secrets`, the others from `vars`. */
export function jobEnv({ secrets, vars }: Variables): Record<string, string> {
  const entries: Array<[string, string]> = [
    ...secrets.map((name): [string, string] => [name, `\${{ secrets.${name} }}`]),
    ...vars.map((name): [string, string] => [name, `\${{ vars.${name} }}`]),
  ]
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Object.fromEntries(entries)
}

/**
 * The project's own runts, with every question answered (the environment's reviewers approved the job).
 * `npm exec --no` never downloads: a bare `npx run` would fetch an unrelated npm package called `run`.
 */
export function runCommand(task: string, tasksFile?: string): string {
  return ['npm exec --no -- run', ...fileArgs(tasksFile), '--yes', shellQuote(task)].join(' ')
}

/** `-f FILE` when `run`, started in the project root, would not find the tasks file by itself. */
export function fileArgs(tasksFile: string | undefined): string[] {
  return tasksFile && !(TASKS_FILE_NAMES as readonly string[]).includes(tasksFile) ? ['-f', shellQuote(tasksFile)] : []
}

function version(tool: 'node' | 'python', source: VersionSource): Record<string, string> {
  return 'file' in source ? { [`${tool}-version-file`]: source.file } : { [`${tool}-version`]: source.version }
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_:.,/@%+=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}
