/** `run --dry-run TASK`: the plan, one task per line in execution order, and what a real run would stop or ask for. */
import type { Command } from '../cli/args.js'
import { ExitCode } from '../errors.js'
import { confirmations, missingEnv, plan } from '../plan/plan.js'
import { openProject } from '../project.js'
import type { Session } from '../session.js'

export async function dryRun(command: Extract<Command, { kind: 'dry-run' }>, session: Session): Promise<number> {
  const project = await openProject(session, command.project)
  const thePlan = plan(project.graph, command.task)
  for (const warning of project.warnings) session.warn(warning)
  session.print(`${thePlan.order.map((n) => n.name).join('\n')}\n`)
  const missing = missingEnv(thePlan, project.env.values)
  if (missing.size > 0) session.warn(`a real run would stop first: missing ${[...missing.keys()].join(', ')}`)
  for (const node of confirmations(thePlan)) session.warn(`a real run asks first: ${node.confirm} (task '${node.name}'; --yes answers it)`)
  return ExitCode.ok
}
