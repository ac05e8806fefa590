/**
 * `run --ci github` writes the GitHub Actions workflow of the tasks with `ci`
 * and says so; with `--check` it writes nothing, and exits 1 with a diff when
 * the file on disk is not what it would write (a tasks file changed and the
 * workflow was not regenerated).
 */
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { ExitCode, RuntsError } from '../errors.js'
import { openProject } from '../project.js'
import type { Session } from '../session.js'
import { writeAtomic } from '../util/fs.js'
import type { Command } from './command.js'

export async function ci(command: Extract<Command, { kind: 'ci' }>, session: Session): Promise<number> {
  const project = await openProject(session, command.project)
  const [{ generateWorkflow, WORKFLOW_FILE }, { detectProject }, { ciJobs, jobVariables }] = await Promise.all([
    import('../ci/workflow.js'),
    import('../ci/project.js'),
    import('../ci/jobs.js'),
  ])
  const tasksFile = path.relative(project.root, project.file).split(path.sep).join('/')
  // Names only, never values; masked all the same, as everything runts writes.
  const facts = detectProject(project.root)
  const text = session.masker.mask(await generateWorkflow(project.graph, facts, { tasksFile }))
  const target = path.join(project.root, WORKFLOW_FILE)
  const shown = path.relative(session.io.cwd, target) || target

  if (command.check) {
    const { checkWorkflow } = await import('../ci/check.js')
    const result = await checkWorkflow(read(target), text, path.relative(project.root, target), facts.pipInstall ? 'run' : 'npx run')
    if (result.upToDate) {
      session.io.stderr.write(`${session.c.green('✓')} ${shown} is up to date\n`)
      return ExitCode.ok
    }
    session.print(result.diff)
    throw new RuntsError('stale-workflow', result.message)
  }

  mkdirSync(path.dirname(target), { recursive: true })
  writeAtomic(target, text)
  const jobs = ciJobs(project.graph, facts).map((job) => {
    const where = job.confirms.length > 0 ? `, in the environment ${job.id}` : ''
    const first = job.install ? `, after ${job.install.task}` : ''
    const { secrets } = jobVariables(job)
    return `  ${job.task}: on ${job.events.join(', ')}${where}${first}${secrets.length > 0 ? `; secrets ${secrets.join(', ')}` : ''}`
  })
  session.io.stderr.write(
    session.masker.mask(
      `wrote ${shown}, ${jobs.length === 1 ? 'one job' : `${jobs.length} jobs`}:\n${jobs.join('\n')}\ncommit it; its comments say which secrets, variables and environments to create on GitHub\n`,
    ),
  )
  return ExitCode.ok
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}
