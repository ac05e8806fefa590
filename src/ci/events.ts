/**
 * The GitHub events a task's `ci` option names, what each adds to the
 * workflow's `on:`, and the condition that makes a job run on its own events
 * only. No imports: `task()` validates `ci` with this list on every load.
 */

/** The events a task can run on in CI, in the order the workflow lists them. */
export const CI_EVENTS = ['push', 'pull_request', 'release', 'tag', 'dispatch'] as const

/** `push` (a branch), `pull_request`, `release` (published), `tag` (a `v*` tag pushed), `dispatch` (by hand). */
export type CiEvent = (typeof CI_EVENTS)[number]

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

/** The workflow's `on:` for the union of these events (plain data; `null` is an event with no filter). */
export function triggers(events: ReadonlySet<CiEvent>): Record<string, unknown> {
  const on: Record<string, unknown> = {}
  // Branches and tags are both `push` events; naming `branches` keeps tag pushes from running push jobs.
  if (events.has('push') || events.has('tag')) {
    const push: Record<string, string[]> = {}
    if (events.has('push')) push.branches = ['**']
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

/**
 * The job's `if:` so that it runs on its own events only, or undefined when it runs on every
 * event the workflow is triggered by (the condition would always hold).
 */
export function jobCondition(own: readonly CiEvent[], all: ReadonlySet<CiEvent>): string | undefined {
  if ([...all].every((event) => own.includes(event))) return undefined
  const parts = CI_EVENTS.filter((event) => own.includes(event)).map((event) => CONDITIONS[event])
  return parts.length === 1 ? parts[0] : parts.map((part) => (part.includes('&&') ? `(${part})` : part)).join(' || ')
}

/** Events that start a release: their jobs never run two at once. */
export function isReleaseEvent(event: CiEvent): boolean {
  return event === 'release' || event === 'tag' || event === 'dispatch'
}
