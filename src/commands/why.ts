/**
 * `run --why TASK`: one line per task of the plan saying whether a run would
 * run it and why (`never ran`, `src/app.py changed`, `env PYTHON changed`,
 * `no inputs declared`, `up to date`, `restores from cache`); nothing runs.
 * Each task is judged on the files as they are now; a task that would skip
 * but reads a file that a dep running first writes (one of the dep's
 * declared `outputs`) may run after all: its line says so and names both.
 */
import type { Judgement } from '../cache/cache.js'
import type { Command } from '../cli/args.js'
import type { Step, TaskNode } from '../plan/graph.js'
import { plan } from '../plan/plan.js'
import { openProject } from '../project.js'
import type { Session } from '../session.js'

export async function why(command: Extract<Command, { kind: 'why' }>, session: Session): Promise<number> {
  const project = await openProject(session, command.project)
  const thePlan = plan(project.graph, command.task)
  for (const warning of project.warnings) session.warn(warning)
  const { Cache } = await import('../cache/cache.js')
  const cache = new Cache({ root: project.root, env: project.env.values, warn: (m) => session.warn(m), force: command.force })
  /** The tasks a run would run (or might), in plan order. */
  const running = new Set<TaskNode>()
  const rows: Array<[string, string]> = []
  for (const node of thePlan.order) {
    if (!node.run) {
      rows.push([node.name, 'runs its deps only'])
      continue
    }
    const judged = await cache.judge(node, node === thePlan.target ? command.args : [])
    const written = judged.skips ? writtenFirst(node, judged, running, (dep) => cache.outputFiles(dep)) : undefined
    if (!judged.skips || written) running.add(node)
    rows.push([node.name, written ? `may run: ${written}` : `${judged.skips ? 'skips' : 'runs'}: ${judged.reason}`])
  }
  const width = Math.max(...rows.map(([name]) => name.length))
  return session.print(rows.map(([name, text]) => `${name.padEnd(width)}  ${text}\n`).join(''))
}

/** `codegen runs first and writes src/gen.py`, when a dep that runs writes an input of `node`. */
function writtenFirst(
  node: TaskNode,
  judged: Judgement,
  running: ReadonlySet<TaskNode>,
  outputsOf: (task: TaskNode) => string[],
): string | undefined {
  const inputs = new Set(judged.inputs)
  for (const dep of depsOf(node)) {
    if (!running.has(dep) || !dep.outputs) continue
    const files = outputsOf(dep).filter((file) => inputs.has(file))
    if (files.length === 0) continue
    const more = files.length > 1 ? ` (and ${files.length - 1} more)` : ''
    return `${dep.name} runs first and writes ${files[0]}${more}`
  }
  return undefined
}

/** Every task `node` waits for, directly or not. */
function depsOf(node: TaskNode): TaskNode[] {
  const seen = new Set<TaskNode>()
  const visit = (step: Step): void => {
    if (step.kind === 'parallel') {
      for (const member of step.members) visit(member)
    } else if (!seen.has(step.task)) {
      seen.add(step.task)
      for (const dep of step.task.deps) visit(dep)
    }
  }
  for (const dep of node.deps) visit(dep)
  return [...seen]
}
