/**
 * The tasks-file API: `task()` and `parallel()`.
 *
 * Task objects carry a brand under a registered symbol, so a tasks file that
 * imports one copy of runts and a CLI that is another copy still agree on what
 * a task is.
 */

import { suggest } from '../util/suggest.js'
import {
  CI_EVENTS,
  type CiEvent,
  type CiJobOptions,
  type CiOptions,
  type CiPermissions,
  GITHUB_PERMISSIONS,
  isCiEvent,
} from './ci-events.js'
import { parseDuration } from './duration.js'

export type { CiEvent, CiJobOptions, CiOptions, CiPermissions }

export const TASK = Symbol.for('runts.task')
export const PARALLEL = Symbol.for('runts.parallel')

/** What a task's `run` receives. */
export interface TaskContext {
  /** Everything that followed the task name on the command line (like `"$@"`), for the task that was asked for; `[]` for its dependencies. */
  args: string[]
  /** The task's name. */
  name: string
  /** Aborted when the run is being stopped (a failure elsewhere, Ctrl-C, SIGTERM). */
  signal: AbortSignal
  /** The task asked for on the command line (`release:prod` when this task runs as one of its deps). */
  target: string
}

export type TaskFn = (context: TaskContext) => unknown

/** What a preflight check is given: the project root, the environment after `.env` loading, the task asked for. */
export interface CheckContext {
  cwd?: string | undefined
  env?: Record<string, string | undefined>
  signal?: AbortSignal | undefined
  /** The task asked for on the command line. */
  target?: string | undefined
}

/**
 * A check made before the first task of the plan starts: nothing (or an empty string) when all is
 * well, else a message saying what is wrong and what to do. A throw counts as a message.
 */
export type Check = (context?: CheckContext) => string | undefined | Promise<string | undefined>

/** What a `preview` is given: a check's context, and the arguments of the task asked for (`[]` for its dependencies). */
export interface PreviewContext extends CheckContext {
  args: string[]
}

/** A `confirm` question, or a function that writes it when the plan is checked (to name a version or a registry). */
export type Question = string | ((context: CheckContext) => string | Promise<string>)

/** A dependency: a task, a plain function task, a task's name, or a `parallel()` group. */
export type Dependency = Task | TaskFn | string | Parallel

export interface TaskOptions {
  /** The name to run it by; defaults to the export name. Use it for names like `publish:test`. */
  name?: string | undefined
  /** One line shown by `run --list`. */
  description?: string | undefined
  /** Run before this task, in the order written; `parallel()` members run together. */
  deps?: Dependency[] | undefined
  /**
   * Deps that get this task's arguments too (each one of its `deps`): `run release:test --tag next` passes
   * `--tag next` on to `publish:test` when release:test has `argsTo: [publishTest]`. Without it, the
   * arguments after a task's name go to that task alone.
   */
  argsTo?: Array<Task | TaskFn | string> | undefined
  /** Environment variables that must be set and non-empty; checked for the whole plan before anything runs. */
  env?: string[] | undefined
  /** Variables whose values are secret whatever their names: masked (`***`) in everything `run` prints. */
  secret?: string[] | undefined
  /** A question asked (or answered by `--yes`) before the first task of the plan starts; a function may write it then. */
  confirm?: Question | undefined
  /** Checks made before the first task of the plan starts (a clean tree, the version's tag, not yet published): any failure stops the run before it starts. */
  preflight?: Check[] | undefined
  /** What the task would do, as text, for `run --dry-run` (which runs nothing): `run version` shows the version and its changelog section. */
  preview?: (context: PreviewContext) => string | undefined | Promise<string | undefined>
  /** Variables the task reads when they are set, with the value it uses when they are not (`run --env` shows both); the task's `env` has the default. */
  optional?: Record<string, string | undefined>
  /** Stop the task and fail it (exit 124) when it runs longer: milliseconds, or '30s', '5m', '1m30s'. */
  timeout?: number | string | undefined
  /** The task's commands get the terminal itself, stdin included; it runs with no other task beside it. Its output is not masked. */
  interactive?: boolean | undefined
  /**
   * The GitHub events that run this task in the workflow `run --ci github` writes; or, to run on pushes to some
   * branches after other jobs passed: `{ on: ['push'], branches: ['main'], needs: ['verify'], version: 'version' }`.
   */
  ci?: CiEvent[] | CiOptions | undefined
  /** What a CI job whose plan has this task may do with the run's token, beyond `contents: read`: `{ 'id-token': 'write' }`. */
  permissions?: CiPermissions | undefined
  /** Files whose content decides whether the task must run again: globs from the project root, `!pattern` excludes. Without `inputs` the task always runs. */
  inputs?: readonly string[] | undefined
  /** Files the task writes (globs from the project root): cached after a successful run, restored when missing or changed. */
  outputs?: readonly string[] | undefined
  /** What the task does. A task without `run` is a pipeline of its deps. */
  run?: TaskFn | undefined
}

export interface Task {
  readonly [TASK]: true
  readonly name?: string | undefined
  readonly description?: string | undefined
  readonly deps: readonly Dependency[]
  readonly argsTo: readonly (Task | TaskFn | string)[]
  readonly env: readonly string[]
  readonly secret: readonly string[]
  readonly confirm?: Question | undefined
  readonly preflight: readonly Check[]
  readonly preview?: TaskOptions['preview'] | undefined
  readonly optional: Readonly<Record<string, string | undefined>>
  /** Milliseconds. */
  readonly timeout?: number | undefined
  readonly interactive: boolean
  readonly ci: readonly CiEvent[]
  /** Branches, needs and the version step of the object form of `ci`. */
  readonly ciJob: CiJobOptions
  readonly permissions: CiPermissions
  /** Input globs; see `TaskOptions.inputs`. */
  readonly inputs?: readonly string[] | undefined
  /** Output globs; see `TaskOptions.outputs`. */
  readonly outputs?: readonly string[] | undefined
  readonly run?: TaskFn | undefined
}

export interface Parallel {
  readonly [PARALLEL]: true
  readonly members: readonly Dependency[]
}

const OPTIONS: ReadonlySet<string> = new Set([
  'name',
  'description',
  'deps',
  'argsTo',
  'env',
  'optional',
  'secret',
  'preflight',
  'preview',
  'confirm',
  'timeout',
  'interactive',
  'ci',
  'permissions',
  'inputs',
  'outputs',
  'run',
])

/** Declare a task: `task(fn)` or `task({ name, description, deps, env, confirm, run })`. */
export function task(definition: TaskFn | TaskOptions): Task {
  const options: TaskOptions = typeof definition === 'function' ? { run: definition } : definition
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`task() takes a function or an options object, not ${describe(options)}`)
  }
  const unknown = Object.keys(options).filter((key) => !OPTIONS.has(key))
  if (unknown.length > 0) {
    // A typo (`dep:`, `input:`) would silently drop a step of a release: never ignore what is not an option.
    const hints = unknown.map((key) => {
      const near = suggest(key, [...OPTIONS], 1)[0]
      return near ? `'${key}' (did you mean '${near}'?)` : `'${key}'`
    })
    throw new TypeError(`task() has no option ${hints.join(', ')}: the options are ${[...OPTIONS].join(', ')}`)
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name.trim() === '')) {
    throw new TypeError(`task({ name }) must be a non-empty string, not ${JSON.stringify(options.name)}`)
  }
  const problem = options.name === undefined ? undefined : nameProblem(options.name)
  if (problem) throw new TypeError(`task({ name: ${JSON.stringify(options.name)} }): ${problem}`)
  if (options.run !== undefined && typeof options.run !== 'function') {
    throw new TypeError(`task({ run }) must be a function, not ${describe(options.run)}`)
  }
  if (options.deps !== undefined && !Array.isArray(options.deps)) {
    throw new TypeError(`task({ deps }) must be an array, not ${describe(options.deps)}`)
  }
  if (
    options.argsTo !== undefined &&
    !(Array.isArray(options.argsTo) && options.argsTo.every((d) => typeof d === 'string' || typeof d === 'function' || isTask(d)))
  ) {
    throw new TypeError('task({ argsTo }) must be an array of its deps (tasks or task names) that get its arguments too')
  }
  for (const key of ['env', 'secret'] as const) {
    const names = options[key]
    if (names !== undefined && !(Array.isArray(names) && names.every((v) => typeof v === 'string'))) {
      throw new TypeError(`task({ ${key} }) must be an array of variable names`)
    }
  }
  const { events: ci, job: ciJob } = options.ci === undefined ? { events: [], job: { needs: [] } } : checkCi(options.ci)
  const permissions = options.permissions === undefined ? {} : checkPermissions(options.permissions)
  if (options.confirm !== undefined && typeof options.confirm !== 'string' && typeof options.confirm !== 'function') {
    throw new TypeError(`task({ confirm }) must be a question, or a function that returns one, not ${describe(options.confirm)}`)
  }
  if (options.preflight !== undefined && !(Array.isArray(options.preflight) && options.preflight.every((c) => typeof c === 'function'))) {
    throw new TypeError('task({ preflight }) must be an array of checks (functions), like [gitClean(), tagMatchesVersion()]')
  }
  if (options.preview !== undefined && typeof options.preview !== 'function') {
    throw new TypeError(`task({ preview }) must be a function that returns what the task would do, not ${describe(options.preview)}`)
  }
  const optional = options.optional ?? {}
  if (
    typeof optional !== 'object' ||
    Array.isArray(optional) ||
    Object.values(optional).some((v) => v !== undefined && typeof v !== 'string')
  ) {
    throw new TypeError("task({ optional }) maps variable names to their defaults, like { PYTHON: 'python3' }")
  }
  for (const key of ['inputs', 'outputs'] as const) {
    const globs = options[key]
    if (globs !== undefined && !(Array.isArray(globs) && globs.every((v) => typeof v === 'string' && v.trim() !== '' && v !== '!'))) {
      throw new TypeError(`task({ ${key} }) must be an array of glob patterns, like ['src/**', 'pyproject.toml']`)
    }
  }
  const outside = options.outputs?.find((p) => /^!?\//.test(p) || p.split('/').includes('..'))
  if (outside !== undefined) {
    throw new TypeError(`task({ outputs }) are files inside the project (the cache restores them there), not ${JSON.stringify(outside)}`)
  }
  const timeout = options.timeout === undefined ? undefined : parseDuration(options.timeout)
  if (options.timeout !== undefined && timeout === undefined) {
    throw new TypeError(
      `task({ timeout }) takes milliseconds or a duration like '30s', '5m', '1m30s', not ${JSON.stringify(options.timeout)}`,
    )
  }
  // Not frozen: freezing costs measurable time in a file of thousands of tasks; the types are readonly.
  return {
    [TASK]: true as const,
    name: options.name,
    description: options.description,
    deps: [...(options.deps ?? [])],
    argsTo: [...(options.argsTo ?? [])],
    env: [...(options.env ?? [])],
    secret: [...(options.secret ?? [])],
    confirm: options.confirm,
    preflight: [...(options.preflight ?? [])],
    preview: options.preview,
    optional: { ...optional },
    timeout,
    interactive: options.interactive === true,
    ci,
    ciJob,
    permissions,
    inputs: options.inputs === undefined ? undefined : [...options.inputs],
    outputs: options.outputs === undefined ? undefined : [...options.outputs],
    run: options.run,
  }
}

/**
 * Why a task cannot have this name, or undefined when it can. A name that starts with `-` would be read
 * as a flag: `run -x`, and the `run --yes -x` of a CI step or the `$(RUN) -x` of the generated Makefile,
 * would list the tasks and exit 0 without running anything.
 */
export function nameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'a task name may not be empty or blank'
  if (name.startsWith('-')) return `a task name may not start with '-' (\`run ${name}\` would read it as a flag)`
  return undefined
}

/** Run these dependencies concurrently (bounded by `--jobs`). */
export function parallel(...members: Dependency[]): Parallel {
  return { [PARALLEL]: true as const, members: [...members] }
}

export function isTask(value: unknown): value is Task {
  return typeof value === 'object' && value !== null && (value as Task)[TASK] === true
}

export function isParallel(value: unknown): value is Parallel {
  return typeof value === 'object' && value !== null && (value as Parallel)[PARALLEL] === true
}

function checkCi(value: unknown): { events: CiEvent[]; job: CiJobOptions } {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return checkCiObject(value as Record<string, unknown>)
  return { events: checkEvents(value, 'ci'), job: { needs: [] } }
}

function checkEvents(value: unknown, where: string): CiEvent[] {
  const allowed = CI_EVENTS.map((e) => `'${e}'`).join(', ')
  if (!Array.isArray(value)) {
    throw new TypeError(`task({ ${where} }) must be an array of events (${allowed}), not ${describe(value)}`)
  }
  const bad = value.find((event) => !isCiEvent(event))
  if (bad !== undefined)
    throw new TypeError(`task({ ${where} }) has ${JSON.stringify(bad) ?? describe(bad)}, which is not an event: use ${allowed}`)
  // Each event once, in the canonical order: the workflow is the same whatever order they were written in.
  return CI_EVENTS.filter((event) => value.includes(event))
}

const CI_KEYS = ['on', 'branches', 'needs', 'version']

function checkCiObject(value: Record<string, unknown>): { events: CiEvent[]; job: CiJobOptions } {
  const unknown = Object.keys(value).filter((key) => !CI_KEYS.includes(key))
  if (unknown.length > 0) {
    const near = suggest(unknown[0]!, CI_KEYS, 1)[0]
    throw new TypeError(
      `task({ ci }) has no option '${unknown[0]}'${near ? ` (did you mean '${near}'?)` : ''}: the options are ${CI_KEYS.join(', ')}`,
    )
  }
  const events = checkEvents(value.on, 'ci: { on }')
  if (events.length === 0) throw new TypeError("task({ ci: { on } }) names no event: give at least one, like on: ['push']")
  const names = (key: string): string[] | undefined => {
    const list = value[key]
    if (list === undefined) return undefined
    if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v.trim() !== '')) {
      throw new TypeError(`task({ ci: { ${key} } }) must be a non-empty array of names, like ['main']`)
    }
    return [...new Set(list as string[])]
  }
  const branches = names('branches')
  const needs = names('needs') ?? []
  const version = value.version
  if (version !== undefined && (typeof version !== 'string' || version.trim() === '')) {
    throw new TypeError("task({ ci: { version } }) names the task that makes the release, like version: 'version'")
  }
  for (const [key, given] of [
    ['branches', branches],
    ['version', version],
  ] as const) {
    if (given !== undefined && !events.includes('push')) {
      throw new TypeError(`task({ ci: { ${key} } }) applies to pushes, and on has no 'push': add it, or leave ${key} out`)
    }
  }
  const job: CiJobOptions = { needs }
  if (branches) job.branches = branches
  if (typeof version === 'string') job.version = version
  return { events, job }
}

function checkPermissions(value: unknown): CiPermissions {
  const example = "like { 'id-token': 'write' }"
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`task({ permissions }) maps scopes of GitHub's token to 'read' or 'write', ${example}, not ${describe(value)}`)
  }
  const permissions: CiPermissions = {}
  for (const [scope, access] of Object.entries(value)) {
    if (!(GITHUB_PERMISSIONS as readonly string[]).includes(scope)) {
      const near = suggest(scope, [...GITHUB_PERMISSIONS], 1)[0]
      throw new TypeError(
        `task({ permissions }) has '${scope}', which is not a scope of GitHub's token${near ? ` (did you mean '${near}'?)` : ''}: use ${GITHUB_PERMISSIONS.join(', ')}`,
      )
    }
    if (access !== 'read' && access !== 'write') {
      throw new TypeError(`task({ permissions }) gives '${scope}' ${JSON.stringify(access) ?? describe(access)}: use 'read' or 'write'`)
    }
    permissions[scope as keyof CiPermissions] = access
  }
  return permissions
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
}
