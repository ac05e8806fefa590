/**
 * `run --dry-run TASK`: the plan, one task per line in execution order (on
 * stdout), and on stderr what a real run would stop at or ask first: missing
 * variables, each preflight check and whether it would pass, the questions;
 * then what each task with a `preview` would do (`run version`: the version
 * and its changelog section).
 */

import { ExitCode } from '../errors.js'
import { missingEnv, plan } from '../plan/plan.js'
import { openProject } from '../project.js'
import type { Session } from '../session.js'
import type { Command } from './command.js'
import { previews, questions, runPreflight } from './preflight.js'

export async function dryRun(command: Extract<Command, { kind: 'dry-run' }>, session: Session): Promise<number> {
  const project = await openProject(session, command.project)
  const thePlan = plan(project.graph, command.task)
  for (const warning of project.warnings) session.warn(warning)
  session.print(`${thePlan.order.map((n) => n.name).join('\n')}\n`)
  const { c, masker, io } = session
  const missing = missingEnv(thePlan, project.env.values)
  if (missing.size > 0) session.warn(`a real run would stop first: missing ${[...missing.keys()].join(', ')}`)
  const [checks, asked, shown] = await Promise.all([
    runPreflight(thePlan, project.root, project.env.values),
    questions(thePlan, project.root, project.env.values),
    previews(thePlan, project.root, project.env.values, command.args),
  ])
  for (const check of [...checks, ...asked.failures]) {
    const line =
      check.failure === undefined ? `${c.green('✓')} ${check.check}` : `${c.red('✗')} ${check.check}: would fail: ${check.failure}`
    io.stderr.write(masker.mask(`a real run checks first: ${check.task}: ${line}\n`))
  }
  for (const { task, question } of asked.asked) session.warn(`a real run asks first: ${question} (task '${task.name}'; --yes answers it)`)
  for (const { task, text, failure } of shown) {
    const said = failure === undefined ? (text ?? '').replace(/\n+$/, '') : `cannot say: ${failure}`
    if (said) io.stderr.write(masker.mask(`${task}: ${said}\n`))
  }
  return ExitCode.ok
}
