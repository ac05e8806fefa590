/**
 * Running a checked plan, once (`run TASK`) or again and again (`run
 * --watch`): the reporter (and the status line on a terminal), the cache
 * before each task, the runner, then every failure, the summary, the step
 * summary under GitHub Actions and `--report`. Returns the exit code: the
 * first failure's, or the signal's.
 */
import { appendFileSync } from 'node:fs'
import path from 'node:path'
import { RuntsError, runExitCode, signalExitCode } from '../errors.js'
import type { Sink } from '../io.js'
import { locateIn } from '../load/locate.js'
import type { Plan } from '../plan/plan.js'
import type { Project } from '../project.js'
import { GithubReporter } from '../report/github.js'
import { Reporter } from '../report/reporter.js'
import { runReport } from '../report/run-report.js'
import type { Gate } from '../run/gate.js'
import { RAN_TASKS } from '../run/ran-tasks.js'
import type { Runner } from '../run/runner.js'
import type { Session } from '../session.js'
import { writeAtomic } from '../util/fs.js'
import type { RunOptions } from './command.js'

export interface RunControl {
  /** Given the runner before it starts; without it, Ctrl-C and friends stop the run. */
  attach?(runner: Runner): void
  /** The run was stopped to start again (`--watch` saw a change): not a failure. */
  restarting?(): boolean
}

export async function runPlan(
  session: Session,
  project: Project,
  thePlan: Plan,
  args: string[],
  options: RunOptions,
  control: RunControl = {},
): Promise<number> {
  const { io } = session
  const ran = thePlan.order.filter((n) => n.run)
  // When the reader of stdout or stderr falls behind (a slow pipe), the commands' output waits in the
  // commands' own pipes, not in runts' memory.
  let runner: Runner | undefined
  const flow = (sink: Sink): Sink => ({
    write: (text) => {
      const ok = sink.write(text)
      if (ok === false && sink.drained && runner) runner.backpressure((then) => sink.drained!(then))
      return ok
    },
  })
  const status = await statusLine(session, ran.length)
  const out = status && io.terminal.stdout ? status.wrap(io.stdout) : io.stdout
  const err = status ? status.wrap(io.stderr) : io.stderr
  const reporter = createReporter(session, options, flow(out), flow(err))
  reporter.setTaskNames(ran.map((n) => n.name))
  const cache = await openCache(session, project, thePlan, options, reporter)
  const started = io.now()
  const { Runner } = await import('../run/runner.js')
  // Tells the code cache (src/cli/code-cache.ts) that this run compiled the runner too.
  ;(globalThis as { [RAN_TASKS]?: boolean })[RAN_TASKS] = true
  runner = new Runner({
    jobs: options.jobs,
    keepGoing: options.keepGoing,
    trace: options.verbose,
    args,
    root: project.root,
    env: project.env.values,
    gate: cache,
    emit: (event) => {
      cache?.observe(event)
      status?.handle(event)
      reporter.handle(event)
    },
  })
  const active = runner
  session.taskOutput = (task, stream, text) => active.output(task, stream, text)
  control.attach?.(runner)
  const stopListening = control.attach ? () => {} : io.onSignal((signal) => active.interrupt(signal))
  // Errors a task's JavaScript raised where nothing caught them, once its task had ended.
  const seen = new WeakSet<object>()
  const late: unknown[] = []
  const unguard = io.guard({
    crash: (task, error) => {
      if (typeof error === 'object' && error !== null) {
        if (seen.has(error)) return
        seen.add(error)
      }
      if (!active.crash(task, error)) late.push(error)
    },
    idle: () => active.idle(),
  })
  const result = await runner.run(thePlan).finally(() => {
    unguard()
    stopListening()
    status?.stop()
  })
  session.taskOutput = undefined
  if (cache && !result.signal) await cache.flush()
  session.debug('run ended')

  // What happened: every error, first first (tasks, a task's JavaScript after its task ended, what could not be written).
  const { failureError } = await import('../run/failure.js')
  const errors: RuntsError[] = result.failures.map(({ task, failure }) => failureError(task, failure, project.tasks.inputs))
  for (const error of late) {
    const message = error instanceof Error ? error.message : String(error)
    const location = locateIn(error, project.tasks.inputs)
    errors.push(new RuntsError('task-threw', `a task's JavaScript threw after its task had ended: ${message}`, { location, cause: error }))
  }
  for (const error of errors) reporter.failure(error)
  // The reader of the output went away (`run … | head`): stopped as asked, quietly.
  const quiet = result.signal === 'SIGPIPE'
  if (result.signal && control.restarting?.()) reporter.warn('stopped: a file changed, so the run starts again')
  else if (result.signal && !quiet)
    reporter.failure(new RuntsError('interrupted', `stopped by ${result.signal}`, { code: signalExitCode(result.signal) }))
  const total = io.now() - started
  if (!quiet) reporter.summary(result.records, total)
  const write = (what: string, fn: () => void) => {
    try {
      fn()
    } catch (error) {
      const failed = new RuntsError('write-failed', `could not write ${what}: ${(error as Error).message}`)
      reporter.failure(failed)
      errors.push(failed)
    }
  }
  if (io.env.GITHUB_ACTIONS === 'true' && io.env.GITHUB_STEP_SUMMARY) {
    const { appendStepSummary } = await import('../ci/summary.js')
    write('the step summary', () =>
      appendStepSummary(io.env, result.records, total, (file, text) => appendFileSync(file, session.masker.mask(text))),
    )
  }
  if (options.report !== undefined) {
    const file = path.resolve(io.cwd, options.report)
    write(`the report ${file}`, () => writeAtomic(file, session.masker.mask(runReport(result.records))))
  }
  return runExitCode({ signal: result.signal, errors })
}

function createReporter(session: Session, options: RunOptions, out: Sink, err: Sink): Reporter {
  const settings = { out, err, masker: session.masker, c: session.c, mode: options.output, render: (e: unknown) => session.render(e) }
  return session.io.env.GITHUB_ACTIONS === 'true' ? new GithubReporter(settings) : new Reporter(settings)
}

/** The cache, when a task of the plan declares `inputs` (it is not loaded otherwise). */
async function openCache(session: Session, project: Project, thePlan: Plan, options: RunOptions, reporter: Reporter) {
  if (!thePlan.order.some((n) => n.inputs && n.run)) return undefined
  const { Cache } = await import('../cache/cache.js')
  return new Cache({
    root: project.root,
    env: project.env.values,
    warn: (message) => reporter.warn(message),
    masker: session.masker.byteMasker(),
    secrets: session.masker.secrets,
    force: options.force,
  }) satisfies Gate
}

/** The live status line, on a terminal, for a run of more than one task. */
async function statusLine(session: Session, tasks: number) {
  const { io } = session
  if (!io.terminal.stderr) return undefined
  const { showStatusLine } = await import('../report/status-line.js')
  if (!showStatusLine({ stderrIsTerminal: io.terminal.stderr, env: io.env, tasks })) return undefined
  const { StatusWriter } = await import('../report/status-writer.js')
  return new StatusWriter({
    terminal: io.stderr,
    total: tasks,
    now: () => io.now(),
    width: () => io.terminal.columns() ?? 80,
    colors: session.c,
  })
}
