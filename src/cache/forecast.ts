/**
 * What a run would do with each task of a plan, for `run --why`, predicted
 * without running or restoring anything. Each task is judged on the files as
 * its deps will leave them: a dep that is up to date leaves them as they are;
 * one that restores lays its entry's files over them; one that runs (or may)
 * writes what cannot be known here, so a task that reads it may run.
 */
import type { Step, TaskNode } from '../plan/graph.js'
import { FilesAhead, more } from './ahead.js'
import { describeChanges } from './explain.js'
import { globMatcher } from './glob-rule.js'
import type { Judgement, JudgeOptions } from './judge.js'
import type { OutputFile } from './store.js'

/** One line of `run --why`: a task, and what a run would do with it (`skips: up to date`, …). */
export type ForecastLine = [task: string, text: string]

/** What judges one task (the cache's `judge`). */
export type Judge = (task: TaskNode, args: readonly string[], options: JudgeOptions) => Promise<Judgement>

/** What a task leaves for those after it: the files its restore writes (none when up to date), or unknown files (it runs). */
type Left = { restores: readonly OutputFile[] } | 'runs'

/** A line per task of `order` (a plan's, deps first); `args` are the target's. */
export async function forecast(
  order: readonly TaskNode[],
  target: TaskNode,
  args: readonly string[],
  judge: Judge,
): Promise<ForecastLine[]> {
  const position = new Map(order.map((node, i) => [node, i]))
  const read = readLater(order)
  const left = new Map<TaskNode, Left>()
  const lines: ForecastLine[] = []
  for (const node of order) {
    if (!node.run) {
      lines.push([node.name, 'runs its deps only'])
      continue
    }
    const deps = depsOf(node).sort((a, b) => position.get(a)! - position.get(b)!)
    const ahead = new FilesAhead()
    const running: TaskNode[] = []
    for (const dep of deps) {
      const leaves = left.get(dep)
      if (leaves === 'runs') running.push(dep)
      else if (leaves) ahead.restore(dep.name, leaves.restores)
    }
    const judged = await judge(node, node === target ? args : [], { ahead, fetch: read.has(node) })
    const unsure = writtenFirst(judged, running)
    left.set(node, judged.skips && !unsure ? { restores: judged.restores ?? [] } : 'runs')
    if (unsure) lines.push([node.name, `may run: ${unsure}`])
    else if (!judged.skips) lines.push([node.name, `runs: ${judged.reason}`])
    else {
      const restoredFirst = ahead.describe(judged.inputs)
      lines.push([node.name, `skips: ${judged.reason}${restoredFirst ? ` once ${restoredFirst}` : ''}`])
    }
  }
  return lines
}

/**
 * Why the judgement cannot be trusted, when deps that run first write files it reads: for a task that
 * would skip, any of its inputs (`codegen runs first and writes src/gen.py`); for one that would run, when
 * the only changes are files they write (`gen/all.txt removed, but gen runs first and writes gen/**`).
 */
function writtenFirst(judged: Judgement, running: readonly TaskNode[]): string | undefined {
  const writers = running.filter((dep) => dep.outputs).map((dep) => ({ dep, writes: globMatcher(dep.outputs!) }))
  if (writers.length === 0) return undefined
  if (judged.skips) {
    for (const { dep, writes } of writers) {
      const files = judged.inputs.filter(writes)
      if (files.length > 0) return `${dep.name} runs first and writes ${files[0]}${more(files)}`
    }
    return undefined
  }
  const changes = judged.changes
  if (!changes || changes.files.length === 0 || changes.others.length > 0) return undefined
  if (!changes.files.every((file) => writers.some(({ writes }) => writes(file)))) return undefined
  const which = writers.filter(({ writes }) => changes.files.some(writes))
  return `${describeChanges(changes)}, but ${which.map(({ dep }) => `${dep.name} runs first and writes ${dep.outputs!.join(', ')}`).join(' and ')}`
}

/** The tasks that a later task with inputs waits for, directly or not: what they restore must be known. */
function readLater(order: readonly TaskNode[]): Set<TaskNode> {
  const read = new Set<TaskNode>()
  // Dependents come after their deps in a plan: walked backwards, each is marked before its deps are reached.
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!
    if ((node.inputs && node.run) || read.has(node)) for (const dep of direct(node.deps)) read.add(dep)
  }
  return read
}

/** Every task `node` waits for, directly or not. */
function depsOf(node: TaskNode): TaskNode[] {
  const seen = new Set<TaskNode>()
  const visit = (task: TaskNode): void => {
    if (seen.has(task)) return
    seen.add(task)
    for (const dep of direct(task.deps)) visit(dep)
  }
  for (const dep of direct(node.deps)) visit(dep)
  return [...seen]
}

/** The tasks of these steps, `parallel()` groups opened. */
function direct(steps: readonly Step[]): TaskNode[] {
  const out: TaskNode[] = []
  const walk = (step: Step): void => {
    if (step.kind === 'task') out.push(step.task)
    else for (const member of step.members) walk(member)
  }
  for (const step of steps) walk(step)
  return out
}
