/**
 * From a tasks file's exports to a checked task graph: names, private tasks
 * reached through deps, dependencies by object or by name, duplicates,
 * unknown names and cycles. Pure: no I/O.
 */
import {
  type Check,
  type CiEvent,
  type CiJobOptions,
  type CiPermissions,
  type Dependency,
  isParallel,
  isTask,
  nameProblem,
  type Question,
  type Task,
  type TaskFn,
} from '../api/task.js'
import { RuntsError } from '../errors.js'
import { didYouMean } from '../util/suggest.js'

export interface TaskNode {
  /** Its index in the graph, for per-task state in arrays (cheaper than Maps at 10,000 tasks). */
  id: number
  name: string
  description?: string
  deps: Step[]
  /** Deps that get this task's arguments too (`argsTo`): each one of `deps`. */
  argsTo: TaskNode[]
  env: readonly string[]
  secret: readonly string[]
  confirm?: Question
  preflight: readonly Check[]
  /** What it would do, as text, for `run --dry-run`. */
  preview?: Task['preview']
  /** Variables it reads when set, with their defaults. */
  optional: Readonly<Record<string, string | undefined>>
  /** Milliseconds. */
  timeout?: number
  interactive: boolean
  /** GitHub events that run it in the generated workflow (`ci`); empty for none. */
  ci: readonly CiEvent[]
  /** Branches, needs and the version step of the object form of `ci`. */
  ciJob: CiJobOptions
  /** What its CI job may do with the run's token beyond `contents: read` (`permissions`). */
  permissions: CiPermissions
  /** Input globs from the project root (`!pattern` excludes); a task without them always runs. */
  inputs?: readonly string[]
  /** Output globs from the project root: what the cache stores and restores. */
  outputs?: readonly string[]
  run?: TaskFn
  /** Exported: listed and runnable by name. */
  public: boolean
  /** A dependency that cannot be resolved: an error for any plan that reaches this task. */
  problem?: RuntsError
}

export type Step = { kind: 'task'; task: TaskNode } | { kind: 'parallel'; members: Step[] }

export interface TaskGraph {
  /** Every task, public and private, by name. */
  byName: Map<string, TaskNode>
  /** Further export names of a task exported under several names. */
  aliases: Map<string, TaskNode>
  /** Public tasks, by name. */
  public: TaskNode[]
  /** Variables the file declares secret: `export const secrets = [...]` and each task's `secret`. */
  secrets: string[]
}

type Source = Task | TaskFn

/** `file`: the tasks file, which an error about a task's name points at. */
export function buildGraph(exports: Record<string, unknown>, file?: string): TaskGraph {
  const nodes = new Map<Source, TaskNode>()
  const byName = new Map<string, TaskNode>()
  const aliases = new Map<string, TaskNode>()
  const exportNames = new Map<TaskNode, string[]>()
  // Sources and their nodes, in the order found (two arrays: no tuple per task).
  const pendingSources: Source[] = []
  const pendingNodes: TaskNode[] = []

  const describe = (node: TaskNode) => {
    const names = exportNames.get(node)
    return names ? `export ${names.join(', ')}` : 'a task that is not exported'
  }

  const add = (source: Source, name: string, isPublic: boolean, exportName?: string): TaskNode => {
    const problem = nameProblem(name)
    if (problem) {
      // `task({ name })` refuses it itself; an export (`export { lint as '-x' }`) or a function is named here.
      throw new RuntsError(
        'load',
        `the task '${name}' (${exportName === undefined ? 'a dependency' : `export '${exportName}'`}): ${problem}`,
        {
          task: name,
          location: file === undefined ? undefined : { file, line: 0, column: 0 },
          hint: 'rename it: a task name may start with anything but -',
        },
      )
    }
    const def = isTask(source) ? source : undefined
    const node: TaskNode = {
      id: nodes.size,
      name,
      description: def?.description,
      deps: [],
      argsTo: [],
      env: def?.env ?? [],
      secret: def?.secret ?? [],
      confirm: def?.confirm,
      preflight: def?.preflight ?? [],
      preview: def?.preview,
      optional: def?.optional ?? {},
      timeout: def?.timeout,
      interactive: def?.interactive ?? false,
      ci: def?.ci ?? [],
      ciJob: def?.ciJob ?? { needs: [] },
      permissions: def?.permissions ?? {},
      inputs: def?.inputs,
      outputs: def?.outputs,
      run: def ? def.run : (source as TaskFn),
      public: isPublic,
    }
    const existing = byName.get(name)
    if (existing) {
      throw new RuntsError(
        'duplicate-task',
        `two tasks are named '${name}': ${describe(existing)}, and ${isPublic ? `export ${exportName}` : 'a task that is not exported'}`,
        {
          hint: "give one of them a different `name` (a task's name is its `name`, else its export name)",
        },
      )
    }
    nodes.set(source, node)
    byName.set(name, node)
    pendingSources.push(source)
    pendingNodes.push(node)
    return node
  }

  for (const exportName of Object.keys(exports)) {
    const value = exports[exportName]
    if (!isTask(value) && typeof value !== 'function') continue
    const source = value as Source
    const known = nodes.get(source)
    if (known) {
      // The same task exported under another name: runnable by that name too.
      exportNames.get(known)?.push(exportName)
      if (exportName !== known.name && !byName.has(exportName)) aliases.set(exportName, known)
      continue
    }
    const node = add(source, (isTask(source) ? source.name : undefined) ?? exportName, true, exportName)
    exportNames.set(node, [exportName])
  }

  /**
   * A private task's name: the one the file gave it (which must be unique), else the name of its
   * function when it is a plain named function, else a label after the task that first needs it.
   */
  const privateName = (source: Source, owner: TaskNode, position: number): string => {
    if (isTask(source) && source.name) return source.name
    const own = isTask(source) ? undefined : source.name
    if (own && !byName.has(own)) return own
    let label = `${owner.name}.deps[${position}]`
    for (let n = 2; byName.has(label); n++) label = `${owner.name}.deps[${position}]#${n}`
    return label
  }

  const resolve = (dep: Dependency, owner: TaskNode, position: number): Step | undefined => {
    if (isParallel(dep)) {
      return { kind: 'parallel', members: resolveAll(dep.members, owner) }
    }
    if (typeof dep === 'string') {
      const target = byName.get(dep) ?? aliases.get(dep)
      if (target) return { kind: 'task', task: target }
      const names = [...byName.values()].filter((n) => n.public).map((n) => n.name)
      owner.problem ??= new RuntsError('unknown-dependency', `task '${owner.name}' depends on '${dep}', and no task has that name`, {
        task: owner.name,
        hint: didYouMean(dep, names),
      })
      return undefined
    }
    if (isTask(dep) || typeof dep === 'function') return { kind: 'task', task: nodes.get(dep)! }
    owner.problem ??= new RuntsError(
      'unknown-dependency',
      `task '${owner.name}' has a dependency that is ${dep === null ? 'null' : typeof dep} (deps[${position - 1}])`,
      {
        task: owner.name,
        hint: 'a dependency is a task, a function, a task name or parallel(...); check the import or a typo in the variable name',
      },
    )
    return undefined
  }

  // First find every task reachable by object, so that a name can refer to a private task too.
  const discover = (dep: Dependency, owner: TaskNode, position: number): void => {
    if (isParallel(dep)) {
      for (let i = 0; i < dep.members.length; i++) discover(dep.members[i]!, owner, position + i)
    } else if ((isTask(dep) || typeof dep === 'function') && !nodes.has(dep)) add(dep, privateName(dep, owner, position), false)
  }
  /** `argsTo`: each a task among the owner's deps (an argument passed to a task that never runs would vanish). */
  const resolveArgsTo = (targets: readonly Dependency[], owner: TaskNode): TaskNode[] => {
    const deps = new Set(directDeps(owner))
    const out: TaskNode[] = []
    for (const target of targets) {
      const node = typeof target === 'string' ? (byName.get(target) ?? aliases.get(target)) : nodes.get(target as Source)
      if (node === undefined || !deps.has(node)) {
        const name = typeof target === 'string' ? target : (node?.name ?? (isTask(target) ? target.name : undefined) ?? 'a task')
        owner.problem ??= new RuntsError(
          'unknown-dependency',
          `task '${owner.name}' passes its arguments to '${name}' (argsTo), which is not one of its deps`,
          { task: owner.name, hint: `add '${name}' to its deps, or take it out of argsTo` },
        )
        continue
      }
      out.push(node)
    }
    return out
  }
  const resolveAll = (deps: readonly Dependency[], owner: TaskNode): Step[] => {
    const steps: Step[] = []
    for (let j = 0; j < deps.length; j++) {
      const step = resolve(deps[j]!, owner, j + 1)
      if (step) steps.push(step)
    }
    return steps
  }
  for (let i = 0; i < pendingSources.length; i++) {
    const source = pendingSources[i]!
    if (isTask(source)) for (let j = 0; j < source.deps.length; j++) discover(source.deps[j]!, pendingNodes[i]!, j)
  }
  for (let i = 0; i < pendingSources.length; i++) {
    const source = pendingSources[i]!
    if (isTask(source) && source.deps.length > 0) pendingNodes[i]!.deps = resolveAll(source.deps, pendingNodes[i]!)
  }
  for (let i = 0; i < pendingSources.length; i++) {
    const source = pendingSources[i]!
    if (isTask(source) && source.argsTo.length > 0) pendingNodes[i]!.argsTo = resolveArgsTo(source.argsTo, pendingNodes[i]!)
  }

  return {
    byName,
    aliases,
    public: [...byName.values()].filter((n) => n.public),
    secrets: declaredSecretNames(exports.secrets, byName),
  }
}

/** Problems of the tasks file that do not stop listing it: unknown dependencies, cycles. */
export function graphProblems(graph: TaskGraph): RuntsError[] {
  const problems = [...graph.byName.values()].flatMap((n) => n.problem ?? [])
  try {
    checkCycles(graph.byName.values())
  } catch (error) {
    problems.push(error as RuntsError)
  }
  return problems
}

function declaredSecretNames(fileLevel: unknown, byName: Map<string, TaskNode>): string[] {
  if (fileLevel !== undefined && !(Array.isArray(fileLevel) && fileLevel.every((v) => typeof v === 'string'))) {
    throw new RuntsError('load', '`export const secrets` must be an array of variable names', {
      hint: "write it as export const secrets = ['NAME', ...]",
    })
  }
  const names = new Set<string>((fileLevel as string[] | undefined) ?? [])
  for (const node of byName.values()) for (const name of node.secret) names.add(name)
  return [...names]
}

/** Each task's direct dependencies, parallel groups flattened, in order. */
export function directDeps(node: TaskNode): TaskNode[] {
  const out: TaskNode[] = []
  const walk = (step: Step): void => {
    if (step.kind === 'task') out.push(step.task)
    else for (const member of step.members) walk(member)
  }
  for (const step of node.deps) walk(step)
  return out
}

/** Throws the first cycle found among (and below) these tasks, as its whole circle. */
export function checkCycles(roots: Iterable<TaskNode>): void {
  const ACTIVE = 1
  const DONE = 2
  const state: number[] = []
  const stack: TaskNode[] = []
  // Iterative DFS: a 10,000-task chain must not overflow the call stack.
  for (const root of roots) {
    if (state[root.id]) continue
    const frames: Array<{ node: TaskNode; deps: TaskNode[]; next: number }> = []
    const enter = (node: TaskNode) => {
      state[node.id] = ACTIVE
      stack.push(node)
      frames.push({ node, deps: directDeps(node), next: 0 })
    }
    enter(root)
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!
      if (frame.next === frame.deps.length) {
        state[frame.node.id] = DONE
        stack.pop()
        frames.pop()
        continue
      }
      const dep = frame.deps[frame.next++]!
      const s = state[dep.id]
      if (s === ACTIVE) {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep].map((n) => n.name)
        throw new RuntsError('cycle', `dependency cycle: ${cycle.join(' -> ')}`, {
          task: dep.name,
          hint: 'remove one of these dependencies; a task cannot (even indirectly) depend on itself',
        })
      }
      if (!s) enter(dep)
    }
  }
}
