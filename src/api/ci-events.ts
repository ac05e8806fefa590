/**
 * The GitHub events a task's `ci` option names, what each adds to the
 * workflow's `on:`, and the condition that makes a job run on its own events
 * only. No imports: `task()` validates `ci` with this list on every load.
 */

/** The events a task can run on in CI, in the order the workflow lists them. */
export const CI_EVENTS = ['push', 'pull_request', 'release', 'tag', 'dispatch'] as const

/** `push` (a branch), `pull_request`, `release` (published), `tag` (a `v*` tag pushed), `dispatch` (by hand). */
export type CiEvent = (typeof CI_EVENTS)[number]

/**
 * The object form of `ci`: the events, and what the job of a push waits for. `ci: ['push']` is
 * `ci: { on: ['push'] }`.
 */
export interface CiOptions {
  /** The events that run the task. */
  on: CiEvent[]
  /** On `push`: only pushes to these branches (`main`, `release/**`); every branch when not given. */
  branches?: string[]
  /** Tasks (by name) whose CI jobs must have passed first, on the events they run on too: the job's `needs`. */
  needs?: string[]
  /**
   * On `push`: the task (by name) that makes the release commit and tag, run first as a step of its own
   * (`run version`): the commit and tag are pushed, and the task runs only when it made one.
   */
  version?: string
}

/** What `ci` says beyond the events. */
export interface CiJobOptions {
  branches?: readonly string[]
  needs: readonly string[]
  version?: string
}

export function isCiEvent(value: unknown): value is CiEvent {
  return typeof value === 'string' && (CI_EVENTS as readonly string[]).includes(value)
}

/** The scopes of the run's token a task may ask for beyond `contents: read` (GitHub's job `permissions`). */
export const GITHUB_PERMISSIONS = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'packages',
  'pages',
  'pull-requests',
  'security-events',
  'statuses',
] as const

export type GithubPermission = (typeof GITHUB_PERMISSIONS)[number]

/** What a task asks of the run's token: `{ 'id-token': 'write' }` for trusted publishing to PyPI or npm. */
export type CiPermissions = Partial<Record<GithubPermission, 'read' | 'write'>>

/** The tags a `tag` event runs on. */
export const TAG_PATTERN = 'v*'

/**
 * The workflow's `on:` for the union of these events (plain data; `null` is an event with no filter), pushes
 * to `pushBranches` only (every branch when undefined).
 */
export function triggers(events: ReadonlySet<CiEvent>, pushBranches?: readonly string[]): Record<string, unknown> {
  const on: Record<string, unknown> = {}
  // Branches and tags are both `push` events; naming `branches` keeps tag pushes from running push jobs.
  if (events.has('push') || events.has('tag')) {
    const push: Record<string, string[]> = {}
    if (events.has('push')) push.branches = pushBranches ? [...pushBranches] : ['**']
    if (events.has('tag')) push.tags = [TAG_PATTERN]
    on.push = push
  }
  if (events.has('pull_request')) on.pull_request = null
  if (events.has('release')) on.release = { types: ['published'] }
  if (events.has('dispatch')) on.workflow_dispatch = null
  return on
}

const CONDITIONS: Record<CiEvent, string> = {
  push: "github.event_name == 'push' && startsWith(github.ref, 'refs/heads/')",
  pull_request: "github.event_name == 'pull_request'",
  release: "github.event_name == 'release'",
  tag: `github.event_name == 'push' && startsWith(github.ref, 'refs/tags/${TAG_PATTERN.replace('*', '')}')`,
  dispatch: "github.event_name == 'workflow_dispatch'",
}

/** What `jobCondition` needs to know of a job (and of each job it needs). */
export interface JobTrigger {
  task: string
  events: readonly CiEvent[]
  /** Pushes to these branches only; every branch when undefined. */
  branches?: readonly string[]
  needs?: ReadonlyArray<{ id: string; task: string; events: readonly CiEvent[]; branches?: readonly string[] }>
}

/**
 * The job's `if:` so that it runs on its own events (and branches) only, or undefined when it runs on every
 * event the workflow is triggered by (the condition would always hold). A job with `needs` runs, on each of its
 * events, once the needed jobs that run on that event too have succeeded; needed jobs that do not run on it
 * (skipped) stop nothing: `!cancelled()` takes the place of GitHub's implicit `success()`.
 */
export function jobCondition(job: JobTrigger, all: ReadonlySet<CiEvent>, allPushBranches?: readonly string[]): string | undefined {
  const needs = job.needs ?? []
  const sameBranches = job.branches === undefined || sameSet(job.branches, allPushBranches)
  if (needs.length === 0 && sameBranches && [...all].every((event) => job.events.includes(event))) return undefined
  const parts = CI_EVENTS.filter((event) => job.events.includes(event)).map((event) => {
    const own =
      event === 'push' && job.branches && !sameBranches
        ? ["github.event_name == 'push'", branchCondition(job.branches)]
        : [CONDITIONS[event]]
    const passed = needs.filter((need) => runsWith(job, need, event)).map((need) => `needs.${need.id}.result == 'success'`)
    return [...own, ...passed].join(' && ')
  })
  const either = parts.length === 1 ? parts[0]! : parts.map((part) => (part.includes('&&') ? `(${part})` : part)).join(' || ')
  return needs.length === 0 ? either : `${parts.length === 1 ? either : `(${either})`} && !cancelled()`
}

/**
 * Does a needed job run on `event` wherever this job does? Yes, no (it does not run on that event), or
 * neither (it runs on pushes to fewer branches): that a workflow cannot express, and is refused.
 */
function runsWith(job: JobTrigger, need: NonNullable<JobTrigger['needs']>[number], event: CiEvent): boolean {
  if (!need.events.includes(event)) return false
  if (event !== 'push' || need.branches === undefined) return true
  const theirs = need.branches
  if (job.branches?.every((b) => theirs.includes(b))) return true
  throw new CiConditionError(
    `task '${job.task}' runs on pushes to ${job.branches ? job.branches.join(', ') : 'every branch'} after '${need.task}', which runs on pushes to ${need.branches.join(', ')} only`,
    job.task,
  )
}

/** `github.ref` is one of these branches: exact names, or a prefix before a final `*` / `**`. */
export function branchCondition(branches: readonly string[]): string {
  const parts = branches.map((branch) => {
    const prefix = /^([^*?[\]!+]*)\*\*?$/.exec(branch)?.[1]
    if (/[*?[\]!+]/.test(branch) && prefix === undefined) {
      throw new CiConditionError(
        `the branch pattern '${branch}' cannot be told apart in a job's condition: give branch names, or a prefix ending in * (release/*)`,
      )
    }
    if (branch.includes('${{'))
      throw new CiConditionError(`the branch '${branch}' holds \`\${{\`, which GitHub would read as an expression`)
    const quoted = (text: string) => `'refs/heads/${text.replace(/'/g, "''")}'`
    return prefix === undefined ? `github.ref == ${quoted(branch)}` : `startsWith(github.ref, ${quoted(prefix)})`
  })
  return parts.length === 1 ? parts[0]! : `(${parts.join(' || ')})`
}

/** A job condition the workflow cannot express (turned into a RuntsError by the generator). */
export class CiConditionError extends Error {
  constructor(
    message: string,
    readonly task?: string,
  ) {
    super(message)
  }
}

function sameSet(a: readonly string[], b: readonly string[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((x) => b.includes(x))
}

/** Events that start a release: their jobs never run two at once. */
export function isReleaseEvent(event: CiEvent): boolean {
  return event === 'release' || event === 'tag' || event === 'dispatch'
}
