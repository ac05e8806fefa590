/**
 * A plan: the task asked for, every task it needs in execution order, and
 * what must hold before the first one starts (variables, confirmations).
 * Pure: no I/O.
 */
import { RuntsError } from '../errors.js'
import { didYouMean } from '../util/suggest.js'
import { checkCycles, type Step, type TaskGraph, type TaskNode } from './graph.js'

export interface Plan {
  target: TaskNode
  /** Every task of the run, once each, in the order a one-job run starts them. */
  order: TaskNode[]
  /** The tasks that get the command line's arguments: the target, and the deps its `argsTo` names (and theirs). */
  takesArgs: ReadonlySet<TaskNode>
}

/** The arguments `node` runs with in this plan: the command line's, or none. */
export function argsOf(thePlan: Plan, node: TaskNode, args: readonly string[]): string[] {
  return thePlan.takesArgs.has(node) ? [...args] : []
}

export function findTask(graph: TaskGraph, name: string): TaskNode {
  const node = graph.byName.get(name) ?? graph.aliases.get(name)
  if (node?.public) return node
  if (node) {
    throw new RuntsError('unknown-task', `'${name}' is a private task: it is not exported, so it only runs as a dependency`, {
      hint: `export it from the tasks file to run it by name`,
    })
  }
  const names = [...graph.public.map((n) => n.name), ...graph.aliases.keys()]
  throw new RuntsError('unknown-task', `no task named '${name}'`, {
    hint: didYouMean(name, names) ?? (names.length > 0 ? "run 'run --list' to see the tasks" : 'the tasks file exports no tasks'),
  })
}

export function plan(graph: TaskGraph, name: string): Plan {
  const target = findTask(graph, name)
  checkCycles([target])
  const order: TaskNode[] = []
  const seen: boolean[] = []
  // Iterative post-order walk (acyclic: checked above).
  const stack: Array<{ node: TaskNode; steps: TaskNode[]; next: number }> = []
  const push = (node: TaskNode) => {
    seen[node.id] = true
    stack.push({ node, steps: flatten(node.deps), next: 0 })
  }
  push(target)
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!
    if (top.node.problem) throw top.node.problem
    if (top.next < top.steps.length) {
      const dep = top.steps[top.next++]!
      if (!seen[dep.id]) push(dep)
      continue
    }
    order.push(top.node)
    stack.pop()
  }
  const takesArgs = new Set<TaskNode>([target])
  for (const node of takesArgs) for (const next of node.argsTo) takesArgs.add(next)
  return { target, order, takesArgs }
}

function flatten(steps: Step[]): TaskNode[] {
  const out: TaskNode[] = []
  const walk = (step: Step) => (step.kind === 'task' ? out.push(step.task) : step.members.forEach(walk))
  steps.forEach(walk)
  return out
}

/** Every required variable that is missing or empty, with the tasks that need it. */
export function missingEnv(p: Plan, env: Readonly<Record<string, string | undefined>>): Map<string, string[]> {
  const missing = new Map<string, string[]>()
  for (const node of p.order) {
    for (const name of node.env) {
      if (env[name]) continue
      const tasks = missing.get(name) ?? []
      tasks.push(node.name)
      missing.set(name, tasks)
    }
  }
  return missing
}

/**
 * Throws when a required variable is missing or empty, naming all of them. `shadowed`: those set but
 * empty in the shell while a file gives them a value (the shell wins, so the file's value is not used).
 */
export function checkEnv(p: Plan, env: Readonly<Record<string, string | undefined>>, shadowed: readonly string[] = []): void {
  const problem = envProblem(p, env, shadowed)
  if (problem) throw problem
}

export function envProblem(
  p: Plan,
  env: Readonly<Record<string, string | undefined>>,
  shadowed: readonly string[] = [],
): RuntsError | undefined {
  const missing = missingEnv(p, env)
  if (missing.size === 0) return undefined
  const lines = [...missing].map(([name, tasks]) => `  ${name}  (needed by ${tasks.join(', ')})`)
  const empty = [...missing.keys()].filter((name) => shadowed.includes(name))
  const hint =
    empty.length > 0
      ? `${empty.join(', ')} ${empty.length === 1 ? 'is' : 'are'} set but empty in the shell, and the shell wins over .env: unset ${empty.length === 1 ? 'it' : 'them'} (unset ${empty.join(' ')}); nothing was run`
      : 'set them in the environment or in .env in the project root; nothing was run'
  return new RuntsError(
    'missing-env',
    `${missing.size === 1 ? 'a required variable is' : `${missing.size} required variables are`} missing or empty:\n${lines.join('\n')}`,
    { hint },
  )
}

/** Tasks of the plan that ask a question before the run starts. */
export function confirmations(p: Plan): TaskNode[] {
  return p.order.filter((n) => n.confirm)
}
