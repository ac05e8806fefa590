/**
 * `run --why TASK`: one line per task of the plan saying whether a run would
 * run it and why (`never ran`, `src/app.py changed`, `env PYTHON changed`,
 * `no inputs declared`, `up to date`, `restores from cache`); nothing runs.
 * A task after one that would run is judged on the files as they are now.
 */
import type { Command } from '../cli/args.js'
import { plan } from '../plan/plan.js'
import { openProject } from '../project.js'
import type { Session } from '../session.js'

export async function why(command: Extract<Command, { kind: 'why' }>, session: Session): Promise<number> {
  const project = await openProject(session, command.project)
  const thePlan = plan(project.graph, command.task)
  for (const warning of project.warnings) session.warn(warning)
  const [{ Cache }, { RESTORES, UP_TO_DATE }] = await Promise.all([import('../cache/cache.js'), import('../cache/explain.js')])
  const cache = new Cache({ root: project.root, env: project.env.values, warn: (m) => session.warn(m), force: command.force })
  const rows: Array<[string, string]> = []
  for (const node of thePlan.order) {
    if (!node.run) {
      rows.push([node.name, 'runs its deps only'])
      continue
    }
    const reason = await cache.explain(node, node === thePlan.target ? command.args : [])
    const runs = reason === UP_TO_DATE || reason === RESTORES ? 'skips' : 'runs'
    rows.push([node.name, `${runs}: ${reason}`])
  }
  const width = Math.max(...rows.map(([name]) => name.length))
  return session.print(rows.map(([name, text]) => `${name.padEnd(width)}  ${text}\n`).join(''))
}
