/**
 * One CI job per task with `ci`, derived from the task's plan: which events
 * run it, which variables it gets (secrets apart from the rest), whether a
 * person must approve it (a `confirm` in the plan becomes a GitHub
 * environment), whether it releases (never two at once), and whether the
 * project's own `install` task must run first (a Python project's: npm does
 * not install its tools). Pure: no I/O.
 */
import { isSecretName } from '../env/secrets.js'
import { RuntsError } from '../errors.js'
import type { TaskGraph, TaskNode } from '../plan/graph.js'
import { findTask, plan } from '../plan/plan.js'
import { type CiEvent, type CiPermissions, GITHUB_PERMISSIONS, isReleaseEvent } from './events.js'
import type { ProjectFacts } from './project.js'

export interface CiJob {
  /** The job's id in the workflow: the task name made safe, unique. */
  id: string
  task: string
  events: readonly CiEvent[]
  /** Variables of the plan that are secret, sorted: `${{ secrets.NAME }}`. */
  secrets: string[]
  /** The plan's other variables, sorted: `${{ vars.NAME }}`. */
  vars: string[]
  /** Of both (and of the install's), those only `optional` names (they have a default when unset), sorted. */
  optional: string[]
  /**
   * The plan's questions: the job runs in the GitHub environment `id`, whose reviewers approve it.
   * `question` is undefined for a question a function words when the task runs.
   */
  confirms: Array<{ task: string; question?: string }>
  /**
   * What the tasks of its plan (and of the install's) ask of the run's token beyond `contents: read`, with
   * the tasks that ask; empty for none.
   */
  permissions: Array<{ scope: keyof CiPermissions; access: 'read' | 'write'; tasks: string[] }>
  /** Started by a release, a tag, by hand, or asks for approval: two runs never overlap. */
  release: boolean
  /**
   * The tasks file's public `install`, run before the task when the project has a pyproject.toml and
   * the task's plan does not include it: on a fresh runner a Python project's tools (its dev extras) are
   * installed by it, not by `npm ci`. A Node project's `install` is `npm ci` again, so it is left out.
   * Its variables go to its own step.
   */
  install?: { task: string; secrets: string[]; vars: string[] }
}

/** The task a job runs first, when the tasks file has it. */
export const INSTALL_TASK = 'install'

/** The token GitHub makes for every run: `secrets.GITHUB_TOKEN`, never created by hand. */
export const GITHUB_TOKEN = 'GITHUB_TOKEN'
/** What the runner itself sets: mapping them to a secret or variable would blank them. */
const RUNNER_SET = /^(CI|GITHUB_.*|RUNNER_.*)$/
const GITHUB_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The jobs of the workflow, one per task with `ci`, in task-name order, for the project `facts` describes. */
export function ciJobs(graph: TaskGraph, facts: Pick<ProjectFacts, 'python'>): CiJob[] {
  const tasks = [...graph.byName.values()].filter((node) => node.ci.length > 0).sort((a, b) => compare(a.name, b.name))
  if (tasks.length === 0) {
    throw new RuntsError('ci', 'no task declares `ci`, so there is no workflow to write', {
      hint: "name the GitHub events that run a task, e.g. ci: ['push', 'pull_request'] on the task that checks the project",
    })
  }
  const ids = new Set<string>()
  const declared = new Set(graph.secrets)
  // Only a Python project needs it: `npm ci` installed everything a Node project's `install` would.
  const install = facts.python ? installTask(graph) : undefined
  return tasks.map((node) => {
    if (!node.public) {
      throw new RuntsError('ci', `task '${node.name}' has \`ci\` but is not exported, and CI runs tasks by name`, {
        task: node.name,
        hint: 'export it from the tasks file',
      })
    }
    const id = uniqueId(node.name, ids)
    const order = plan(graph, node.name).order
    const { secrets, vars } = variables(order, declared)
    const before = install && !order.includes(install) ? plan(graph, install.name).order : []
    // The install's questions first: its step runs first, and the environment's approval covers both.
    const confirms = [...before, ...order].flatMap((n) =>
      n.confirm === undefined ? [] : [typeof n.confirm === 'string' ? { task: n.name, question: n.confirm } : { task: n.name }],
    )
    const release = node.ci.some(isReleaseEvent) || confirms.length > 0
    const permissions = asked([...before, ...order])
    const optional = optionalOnly([...before, ...order])
    const job: CiJob = { id, task: node.name, events: node.ci, secrets, vars, optional, confirms, permissions, release }
    if (before.length > 0) job.install = { task: INSTALL_TASK, ...variables(before, declared) }
    return job
  })
}

/** Every secret and variable the job's steps get (the install's and the task's), sorted: what to create on GitHub. */
export function jobVariables(job: CiJob): { secrets: string[]; vars: string[] } {
  const union = (a: string[], b: string[] = []) => [...new Set([...a, ...b])].sort(compare)
  return { secrets: union(job.secrets, job.install?.secrets), vars: union(job.vars, job.install?.vars) }
}

/** The variables these tasks name only in `optional`, never in `env` or `secret`, sorted. */
function optionalOnly(tasks: readonly TaskNode[]): string[] {
  const required = new Set(tasks.flatMap((node) => [...node.env, ...node.secret]))
  const named = tasks.flatMap((node) => Object.keys(node.optional))
  // The runner's own (`CI`, `GITHUB_*`) are never created on GitHub.
  return [...new Set(named)].filter((name) => !required.has(name) && name !== GITHUB_TOKEN && !RUNNER_SET.test(name)).sort(compare)
}

/** The permissions the tasks ask for, `write` over `read`, in GitHub's order; `contents: read` goes without saying. */
function asked(tasks: readonly TaskNode[]): CiJob['permissions'] {
  return GITHUB_PERMISSIONS.flatMap((scope) => {
    const asking = tasks.filter((n) => n.permissions[scope] !== undefined)
    const access = asking.some((n) => n.permissions[scope] === 'write') ? 'write' : 'read'
    if (asking.length === 0 || (scope === 'contents' && access === 'read')) return []
    return [{ scope, access, tasks: asking.filter((n) => n.permissions[scope] === access).map((n) => n.name) }]
  })
}

/** The public task `run install` would run, if the tasks file has one. */
function installTask(graph: TaskGraph): TaskNode | undefined {
  try {
    return findTask(graph, INSTALL_TASK)
  } catch {
    return undefined
  }
}

/** What the plan's tasks name in `env: [...]` (required), `secret: [...]` (used, secret) and `optional` (used when set), split by secrecy. */
function variables(order: readonly TaskNode[], declared: ReadonlySet<string>): { secrets: string[]; vars: string[] } {
  const secrets = new Set<string>()
  const vars = new Set<string>()
  for (const node of order) {
    for (const name of [...node.env, ...node.secret, ...Object.keys(node.optional)]) {
      if (name === GITHUB_TOKEN) secrets.add(name)
      else if (RUNNER_SET.test(name)) continue
      else if (!GITHUB_NAME.test(name)) {
        throw new RuntsError('ci', `task '${node.name}' needs the variable '${name}', which cannot be a GitHub secret or variable`, {
          task: node.name,
          hint: 'GitHub names secrets and variables with letters, digits and _ only (not starting with a digit); rename it',
        })
      } else if (isSecretName(name) || declared.has(name)) secrets.add(name)
      else vars.add(name)
    }
  }
  return { secrets: [...secrets].sort(compare), vars: [...vars].sort(compare) }
}

/** `release:prod` -> `release-prod`: a job id (and environment name) GitHub accepts, unique ignoring case. */
function uniqueId(name: string, taken: Set<string>): string {
  let base = name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '')
  if (!/^[A-Za-z_]/.test(base)) base = `task-${base}`.replace(/-$/, '')
  let id = base
  for (let n = 2; taken.has(id.toLowerCase()); n++) id = `${base}-${n}`
  taken.add(id.toLowerCase())
  return id
}

/** Byte order, not the locale's: the same file on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
