/**
 * The commands that show the tasks file without running anything: the list,
 * the Makefile, the variables. A tasks file with an unknown dependency or a
 * cycle still shows, with a warning.
 */
import path from 'node:path'
import { graphProblems } from '../plan/graph.js'
import { plan } from '../plan/plan.js'
import { openProject, type Project } from '../project.js'
import type { Session } from '../session.js'
import { listJson, listText } from '../views/list.js'
import type { Command } from './command.js'

type Of<K extends Command['kind']> = Extract<Command, { kind: K }>

async function open(session: Session, command: Of<'list' | 'makefile' | 'env' | 'graph'>): Promise<Project> {
  const project = await openProject(session, command.project)
  for (const problem of graphProblems(project.graph)) session.warn(`${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`)
  return project
}

export async function list(command: Of<'list'>, session: Session): Promise<number> {
  return printList(session, await open(session, command), command.json)
}

/** The task list of an opened project, as text or JSON. */
export function printList(session: Session, { graph, file }: Project, json = false): number {
  if (json) return session.print(listJson(graph))
  return session.print(listText(graph, path.relative(session.io.cwd, file) || path.basename(file), session.c))
}

export async function makefile(command: Of<'makefile'>, session: Session): Promise<number> {
  const { graph, root } = await open(session, command)
  const [{ makefile }, { runCommand }] = await Promise.all([import('../views/makefile.js'), import('../views/self.js')])
  const launcher = session.io.env.RUNTS_COMMAND
  return session.print(
    makefile(graph, runCommand(root, session.io.entry, launcher ? { command: launcher, cwd: session.io.cwd } : undefined)),
  )
}

export async function env(command: Of<'env'>, session: Session): Promise<number> {
  const project = await open(session, command)
  for (const warning of project.env.warnings) session.warn(warning)
  const tasks = command.task === undefined ? [...project.graph.byName.values()] : plan(project.graph, command.task).order
  const { envReport } = await import('../views/env-report.js')
  return session.print(envReport(tasks, project.env, project.graph.secrets, session.masker))
}

export async function graph(command: Of<'graph'>, session: Session): Promise<number> {
  const project = await open(session, command)
  const { graphView } = await import('../views/graph.js')
  return session.print(graphView(command.task === undefined ? project.graph : plan(project.graph, command.task), command.format))
}
