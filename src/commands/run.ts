/**
 * `run TASK [ARGS…]`: plan, check everything before anything runs (variables,
 * preflight checks, the report's folder, confirmations), then run the plan.
 */
import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import { RuntsError } from '../errors.js'
import { envProblem, type Plan, plan } from '../plan/plan.js'
import { openProject, type Project } from '../project.js'
import type { Session } from '../session.js'
import type { Command, RunOptions } from './command.js'
import { confirm } from './confirm.js'
import { assertPassed, type CheckResult, questions, runPreflight } from './preflight.js'
import { runPlan } from './run-plan.js'
import { printList } from './views.js'

export async function run(command: Extract<Command, { kind: 'run' }>, session: Session): Promise<number> {
  const project = await openProject(session, command.project)
  // `help` lists the tasks, as `./run.sh help` and `make help` did, unless a task has that name.
  if (command.task === 'help' && !project.graph.byName.has('help') && !project.graph.aliases.has('help')) {
    return printList(session, project)
  }
  const checked = await checkedPlan(session, project, command.task, command.run)
  warnUnusedArgs(session, checked, command.args)
  return runPlan(session, project, checked, command.args, command.run)
}

/** Arguments given to a task that cannot take them are named, not dropped silently. */
export function warnUnusedArgs(session: Session, thePlan: Plan, args: readonly string[]): void {
  if (args.length === 0) return
  const { target } = thePlan
  const given = args.map((a) => `'${a}'`).join(' ')
  // The target and the deps its argsTo names: those with a run function get them.
  const takers = [...thePlan.takesArgs].filter((node) => node.run)
  if (takers.length === 0) {
    session.warn(
      `'${target.name}' only runs its deps, which take no arguments: ${given} ignored (argsTo: [...] in the tasks file passes them on to deps)`,
    )
  }
  // A run function with no parameter never sees `args` (one that takes the context may pass them on).
  else if (takers.every((node) => node.run!.length === 0)) {
    const names = takers.map((node) => `'${node.name}'`).join(', ')
    const one = takers.length === 1
    session.warn(
      `${names} ${one ? 'takes' : 'take'} no arguments (${one ? 'its run has' : 'their runs have'} no parameter): ${given} ignored`,
    )
  }
}

/**
 * The plan of `task`, once everything a run needs holds: the questions are asked last, after every check
 * passed. A run stopped here still leaves its `--report` and step summary, saying why.
 */
export async function checkedPlan(session: Session, project: Project, task: string, options: RunOptions): Promise<Plan> {
  const thePlan = plan(project.graph, task)
  for (const warning of project.warnings) session.warn(warning)
  let made: CheckResult[] = []
  try {
    // Every problem at once: the missing variables beside the failed checks.
    const { values, sources, fileValues } = project.env
    const shadowed = Object.keys(values).filter(
      (n) => values[n] === '' && sources.get(n) === 'shell' && fileValues.some(([f, v]) => f === n && v),
    )
    const missing = envProblem(thePlan, values, shadowed)
    const [checks, asked] = await Promise.all([runPreflight(thePlan, project.root, values), questions(thePlan, project.root, values)])
    made = [...checks, ...asked.failures]
    assertPassed(made, missing)
    if (options.report !== undefined) checkWritable(path.resolve(session.io.cwd, options.report))
    await confirm(session.io, asked.asked, options.yes)
  } catch (error) {
    const { reportStopped } = await import('./stopped.js')
    await reportStopped(session, thePlan, options, error, made)
    throw error
  }
  return thePlan
}

/** `--report FILE` must be writable before anything runs: its folder exists and can be written to. */
function checkWritable(file: string): void {
  try {
    accessSync(path.dirname(file), constants.W_OK)
  } catch {
    throw new RuntsError('usage', `cannot write the report to ${file}: its folder does not exist or cannot be written to`, {
      hint: 'give --report a path in an existing folder; nothing was run',
    })
  }
}
