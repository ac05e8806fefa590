/**
 * One CI job per task with `ci`, derived from the task's plan: which events
 * run it, which variables it gets (secrets apart from the rest), whether a
 * person must approve it (a `confirm` in the plan becomes a GitHub
 * environment), whether it releases (never two at once), and whether the
 * project's own `install` task must run first (a Python project's: npm does
 * not install its tools). Pure: no I/O.
 */

import { type CiEvent, type CiPermissions, GITHUB_PERMISSIONS, isReleaseEvent } from '../api/ci-events.js'
import { isSecretName } from '../env/secrets.js'
import { RuntsError } from '../errors.js'
import type { TaskGraph, TaskNode } from '../plan/graph.js'
import { findTask, plan } from '../plan/plan.js'
import type { ProjectFacts } from './project.js'
import { shownName, yamlUnsafe } from './yaml-text.js'

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
  /** On `push`: only pushes to these branches; every branch when undefined. */
  branches?: readonly string[]
  /** The jobs that must have passed first (on the events they run on too), with their events and branches. */
  needs: Array<{ id: string; task: string; events: readonly CiEvent[]; branches?: readonly string[] }>
  /**
   * On a push: the task that makes the release commit and tag, run first as a step of its own; the commit and tag
   * are then pushed (with the run's token), and the job's task runs only when it made one. Its variables go to its step.
   */
  version?: { task: string; secrets: string[]; vars: string[] }
  /** The Python minors the job runs on, once each: a job of pushes and pull requests that tests and publishes nothing. */
  matrix?: string[]
}

/** The task a job runs first, when the tasks file has it. */
export const INSTALL_TASK = 'install'

/** The token GitHub makes for every run: `secrets.GITHUB_TOKEN`, never created by hand. */
export const GITHUB_TOKEN = 'GITHUB_TOKEN'
/** What the runner itself sets: mapping them to a secret or variable would blank them. */
const RUNNER_SET = /^(CI|GITHUB_.*|RUNNER_.*)$/
const GITHUB_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The jobs of the workflow, one per task with `ci`, in task-name order, for the project `facts` describes. */
export function ciJobs(graph: TaskGraph, facts: Pick<ProjectFacts, 'python' | 'pythonMinors'>): CiJob[] {
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
  const idOf = new Map<string, string>()
  for (const node of tasks) {
    if (!node.public) {
      throw new RuntsError('ci', `task '${node.name}' has \`ci\` but is not exported, and CI runs tasks by name`, {
        task: node.name,
        hint: 'export it from the tasks file',
      })
    }
    idOf.set(node.name, uniqueId(node.name, ids))
  }
  return tasks.map((node) => {
    const id = idOf.get(node.name)!
    const order = plan(graph, node.name).order
    const { secrets, vars } = variables(order, declared)
    const before = install && !order.includes(install) ? plan(graph, install.name).order : []
    const versionNode = node.ciJob.version === undefined ? undefined : ciTask(graph, node, node.ciJob.version, 'version')
    const versionPlan = versionNode ? plan(graph, versionNode.name).order : []
    const all = [...before, ...versionPlan, ...order]
    for (const n of [node, ...all]) refuseExpression(n)
    // The install's questions first: its step runs first, and the environment's approval covers both.
    const confirms = all.flatMap((n) =>
      n.confirm === undefined ? [] : [typeof n.confirm === 'string' ? { task: n.name, question: n.confirm } : { task: n.name }],
    )
    const release = node.ci.some(isReleaseEvent) || confirms.length > 0 || versionNode !== undefined
    const permissions = asked(all)
    // The step after `version` pushes its commit and tag.
    if (versionNode && !permissions.some((p) => p.scope === 'contents')) {
      permissions.push({ scope: 'contents', access: 'write', tasks: [versionNode.name] })
      permissions.sort((a, b) => GITHUB_PERMISSIONS.indexOf(a.scope) - GITHUB_PERMISSIONS.indexOf(b.scope))
    }
    const optional = optionalOnly(all)
    const needs = node.ciJob.needs.map((name) => {
      const needed = ciTask(graph, node, name, 'needs')
      if (needed.ci.length === 0 || !idOf.has(needed.name)) {
        throw new RuntsError('ci', `task '${node.name}' needs the CI job of '${name}', which has no \`ci\``, {
          task: node.name,
          hint: `give '${name}' a ci option, or take it out of needs`,
        })
      }
      const entry: CiJob['needs'][number] = { id: idOf.get(needed.name)!, task: needed.name, events: needed.ci }
      if (needed.ciJob.branches) entry.branches = needed.ciJob.branches
      return entry
    })
    const job: CiJob = { id, task: node.name, events: node.ci, secrets, vars, optional, confirms, permissions, release, needs }
    if (node.ciJob.branches) job.branches = node.ciJob.branches
    if (before.length > 0) job.install = { task: INSTALL_TASK, ...variables(before, declared) }
    if (versionNode) job.version = { task: versionNode.name, ...variables(versionPlan, declared) }
    const tests = order.some((n) => n.name === 'test') && node.ci.some((e) => e === 'push' || e === 'pull_request')
    if (facts.pythonMinors && tests && !release && !permissions.some((p) => p.access === 'write')) job.matrix = facts.pythonMinors
    refuseCaseTwins(job, all)
    return job
  })
}

/** The public task a job's `ci` names (in `needs` or `version`), or an error naming it, with suggestions. */
function ciTask(graph: TaskGraph, owner: TaskNode, name: string, option: string): TaskNode {
  try {
    return findTask(graph, name)
  } catch (error) {
    throw new RuntsError('ci', `task '${owner.name}' has ci: { ${option}: '${name}' }, and no public task has that name`, {
      task: owner.name,
      hint: (error as RuntsError).hint ?? 'name an exported task',
      cause: error,
    })
  }
}

/**
 * A name with `${{` in it would be evaluated by GitHub as an expression wherever the workflow writes it;
 * one with a character that YAML reads as a line break (or refuses) would not be read back at all. The
 * same for the branches a job runs on.
 */
function refuseExpression(node: TaskNode): void {
  for (const [what, text] of [['task name', node.name], ...(node.ciJob.branches ?? []).map((b) => ['branch', b] as const)] as const) {
    const unsafe = yamlUnsafe(text)
    if (!unsafe) continue
    throw new RuntsError('ci', `the ${what} ${shownName(text)} holds ${unsafe}, which YAML reads as a line break or refuses`, {
      task: node.name,
      hint: `rename the ${what === 'branch' ? 'branch in the ci options' : 'task'}: GitHub could not read the workflow as runts would write it`,
    })
  }
  if (!node.name.includes('${{')) return
  throw new RuntsError(
    'ci',
    `the task name ${JSON.stringify(node.name)} holds \`\${{\`, which GitHub would read as an expression, not a name`,
    {
      task: node.name,
      hint: 'rename the task: runts does not write a workflow that GitHub would evaluate in a way the tasks file does not say',
    },
  )
}

/**
 * GitHub's secrets and variables, and a step's `env` keys, ignore case: two names of a job that differ only in
 * case (`http_proxy`, `HTTP_PROXY`) would be one secret, and a duplicate key actionlint rejects.
 */
function refuseCaseTwins(job: CiJob, tasks: readonly TaskNode[]): void {
  const { secrets, vars } = jobVariables(job)
  const seen = new Map<string, string>()
  for (const name of [...secrets, ...vars, ...(job.version ? [GITHUB_TOKEN] : [])]) {
    const other = seen.get(name.toUpperCase())
    if (other !== undefined && other !== name) {
      const who = (v: string) =>
        tasks
          .filter((n) => [...n.env, ...n.secret, ...Object.keys(n.optional)].includes(v))
          .map((n) => n.name)
          .join(', ')
      throw new RuntsError(
        'ci',
        `the job of '${job.task}' would need both ${other} (${who(other)}) and ${name} (${who(name)}), which differ only in case: GitHub's secrets, variables and env keys ignore case`,
        { task: job.task, hint: 'use one spelling of the variable in the tasks file, or keep the two out of one CI job' },
      )
    }
    seen.set(name.toUpperCase(), name)
  }
}

/** Every secret and variable the job's steps get (the install's, the version step's and the task's), sorted: what to create on GitHub. */
export function jobVariables(job: CiJob): { secrets: string[]; vars: string[] } {
  const union = (...lists: Array<string[] | undefined>) => [...new Set(lists.flatMap((l) => l ?? []))].sort(compare)
  return {
    secrets: union(job.secrets, job.install?.secrets, job.version?.secrets),
    vars: union(job.vars, job.install?.vars, job.version?.vars),
  }
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
