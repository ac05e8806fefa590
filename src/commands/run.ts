/**
 * `run TASK [ARGS…]`: plan, check everything before anything runs (variables,
 * the report's folder, confirmations), run, then report every failure and a
 * summary. Returns the exit code: the first failure's, or the signal's.
 */
import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import type { Command } from '../cli/args.js'
import { RAN_TASKS } from '../cli/code-cache.js'
import { ExitCode, RuntsError, signalExitCode } from '../errors.js'
import type { Sink } from '../io.js'
import { locateIn } from '../load/locate.js'
import { checkEnv, confirmations, plan } from '../plan/plan.js'
import { openProject } from '../project.js'
import { GithubReporter } from '../report/github.js'
import type { OutputMode } from '../report/output-mode.js'
import { Reporter } from '../report/reporter.js'
import { runReport } from '../report/run-report.js'
import { failureError } from '../run/failure.js'
import type { Session } from '../session.js'
import { writeAtomic } from '../util/fs.js'
import { confirm } from './confirm.js'

export async function run(command: Extract<Command, { kind: 'run' }>, session: Session): Promise<number> {
  const { io } = session
  const options = command.run
  const project = await openProject(session, command.project)

  // A plan, checked before anything runs.
  const thePlan = plan(project.graph, command.task)
  for (const warning of project.warnings) session.warn(warning)
  checkEnv(thePlan, project.env.values)
  const reportFile = options.report === undefined ? undefined : path.resolve(io.cwd, options.report)
  if (reportFile) checkWritable(reportFile)
  await confirm(io, confirmations(thePlan), options.yes)

  // The run.
  // When the reader of stdout or stderr falls behind (a slow pipe), the commands' output waits in the
  // commands' own pipes, not in runts' memory.
  let runner: import('../run/runner.js').Runner | undefined
  const flow = (sink: Sink): Sink => ({
    write: (text) => {
      const ok = sink.write(text)
      if (ok === false && sink.drained && runner) runner.backpressure((then) => sink.drained!(then))
      return ok
    },
  })
  const reporter = createReporter(session, options.output, flow(io.stdout), flow(io.stderr))
  reporter.setTaskNames(thePlan.order.filter((n) => n.run).map((n) => n.name))
  const started = io.now()
  const { Runner } = await import('../run/runner.js')
  // Tells the code cache (src/cli/code-cache.ts) that this run compiled the runner too.
  ;(globalThis as { [RAN_TASKS]?: boolean })[RAN_TASKS] = true
  runner = new Runner({
    jobs: options.jobs,
    keepGoing: options.keepGoing,
    trace: options.verbose,
    args: command.args,
    root: project.root,
    env: project.env.values,
    emit: (event) => reporter.handle(event),
  })
  session.taskOutput = (task, stream, text) => runner.output(task, stream, text)
  const stopListening = io.onSignal((signal) => runner.interrupt(signal))
  // Errors a task's JavaScript raised where nothing caught them, once its task had ended.
  const seen = new WeakSet<object>()
  const late: unknown[] = []
  const unguard = io.guard({
    crash: (task, error) => {
      if (typeof error === 'object' && error !== null) {
        if (seen.has(error)) return
        seen.add(error)
      }
      if (!runner.crash(task, error)) late.push(error)
    },
    idle: () => runner.idle(),
  })
  const result = await runner.run(thePlan).finally(() => {
    unguard()
    stopListening()
  })
  session.taskOutput = undefined
  session.debug('run ended')

  // What happened.
  const failures = result.failures.map(({ task, failure }) => failureError(task, failure, project.tasks.inputs))
  for (const failure of failures) reporter.failure(failure)
  for (const error of late) {
    const message = error instanceof Error ? error.message : String(error)
    reporter.failure(
      new RuntsError('task-threw', `a task's JavaScript threw after its task had ended: ${message}`, {
        location: locateIn(error, project.tasks.inputs),
        cause: error,
      }),
    )
  }
  if (result.signal) reporter.failure(new RuntsError('interrupted', `stopped by ${result.signal}`, { code: signalExitCode(result.signal) }))
  reporter.summary(result.records, io.now() - started)
  let code = result.signal
    ? signalExitCode(result.signal)
    : (failures[0]?.exitCode ?? (late.length > 0 ? ExitCode.taskFailed : ExitCode.ok))
  if (reportFile) {
    try {
      writeAtomic(reportFile, session.masker.mask(runReport(result.records)))
    } catch (error) {
      const failed = new RuntsError('write-failed', `could not write the report ${reportFile}: ${(error as Error).message}`)
      reporter.failure(failed)
      code ||= failed.exitCode
    }
  }
  return code
}

function createReporter(session: Session, mode: OutputMode, out: Sink, err: Sink): Reporter {
  const options = { out, err, masker: session.masker, c: session.c, mode, render: (e: unknown) => session.render(e) }
  return session.io.env.GITHUB_ACTIONS === 'true' ? new GithubReporter(options) : new Reporter(options)
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
