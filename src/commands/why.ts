/**
 * `run --why TASK`: one line per task of the plan saying what a run would do
 * with it and why (`never ran`, `src/app.py changed`, `env PYTHON changed`,
 * `no inputs declared`, `up to date`, `restores from cache`); nothing runs.
 * Each line is the cache's own verdict, the one the run's gate acts on, taken
 * on the files as the tasks before it will leave them: what one restores
 * first is taken as restored (`skips: up to date once gen restores
 * gen/all.txt`); what one that runs first writes cannot be known, so a task
 * that reads it `may run`, and its line names both (see cache/forecast.ts).
 */

import { plan } from '../plan/plan.js'
import { openProject } from '../project.js'
import type { Session } from '../session.js'
import type { Command } from './command.js'

export async function why(command: Extract<Command, { kind: 'why' }>, session: Session): Promise<number> {
  const project = await openProject(session, command.project)
  const thePlan = plan(project.graph, command.task)
  for (const warning of project.warnings) session.warn(warning)
  const [{ Cache }, { forecast }] = await Promise.all([import('../cache/cache.js'), import('../cache/forecast.js')])
  const cache = new Cache({
    root: project.root,
    env: project.env.values,
    warn: (m) => session.warn(m),
    force: command.force,
    secrets: session.masker.secrets,
  })
  const rows = await forecast(thePlan.order, thePlan.takesArgs, command.args, (task, args, options) => cache.verdict(task, args, options))
  const width = Math.max(...rows.map(([name]) => name.length))
  return session.print(rows.map(([name, text]) => `${name.padEnd(width)}  ${text}\n`).join(''))
}
