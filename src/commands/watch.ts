/**
 * `run --watch TASK`: runs the plan, then again whenever one of its inputs
 * changes (debounced). A change during a run stops the running commands
 * (their process groups, as Ctrl-C does) before the next run starts; a
 * failed run does not end the watch; Ctrl-C ends it (130) with nothing left
 * running. With the cache, a run after a change redoes only what changed.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { ExitCode, signalExitCode } from '../errors.js'
import { openProject } from '../project.js'
import type { Runner } from '../run/runner.js'
import type { Session } from '../session.js'
import type { Command } from './command.js'
import { checkedPlan, warnUnusedArgs } from './run.js'
import { runPlan } from './run-plan.js'

export async function watch(command: Extract<Command, { kind: 'watch' }>, session: Session): Promise<number> {
  const { io, c } = session
  const project = await openProject(session, command.project)
  const thePlan = await checkedPlan(session, project, command.task, command.run)
  warnUnusedArgs(session, thePlan, command.args)
  const { watchFiles } = await import('../watch/watcher.js')
  const { watchTarget, watchedGlobs } = await import('../watch/globs.js')

  let runner: Runner | undefined
  let signal: NodeJS.Signals | undefined
  let changed: string[] = []
  /** A change has stopped the run under way. */
  let restarting = false
  let wake = () => {}
  const next = () => new Promise<void>((resolve) => (wake = resolve))
  const stopListening = io.onSignal((received) => {
    signal ??= received
    if (runner) runner.interrupt(received)
    wake()
  })
  const tasksFiles = new Set(project.tasks.inputs.map((f) => f.split('\\').join('/')))
  const target = watchTarget(thePlan.order, readGitignore(project.root))
  const watcher = await watchFiles({
    root: project.root,
    target,
    onChange: (paths) => {
      changed = [...new Set([...changed, ...paths])].sort()
      if (paths.some((p) => tasksFiles.has(`${project.root}/${p}`))) {
        session.warn('the tasks file changed: stop and start run --watch again to use it')
      }
      // A run under way stops (its process groups, as Ctrl-C stops them) before the next one starts. Once:
      // the runner takes a second stop as a second Ctrl-C (SIGKILL at once), which a later burst is not.
      if (runner && !restarting) {
        restarting = true
        runner.interrupt('SIGTERM')
      }
      wake()
    },
    onError: (error) => session.warn(`the file watcher failed: ${error.message} (on Linux, raise fs.inotify.max_user_watches)`),
  })

  let code: number = ExitCode.ok
  try {
    while (signal === undefined) {
      changed = []
      restarting = false
      const waiting = next()
      code = await runPlan(session, project, thePlan, command.args, command.run, {
        attach: (r) => {
          runner = r
        },
        restarting: () => signal === undefined && changed.length > 0,
      })
      runner = undefined
      if (signal !== undefined) break
      if (changed.length === 0) {
        const globs = watchedGlobs(target)
        const what = globs === 'project' ? 'the project' : globs.join(', ')
        io.stderr.write(session.masker.mask(`${c.dim(`watching ${what} for changes (Ctrl-C to stop)`)}\n`))
        await waiting
      }
      if (signal === undefined) io.stderr.write(session.masker.mask(`${c.cyan('↻')} changed: ${shorten(changed)}\n`))
    }
  } finally {
    stopListening()
    await watcher.close()
  }
  return signal !== undefined ? signalExitCode(signal) : code
}

function shorten(paths: readonly string[]): string {
  return paths.length > 3 ? `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more` : paths.join(', ')
}

function readGitignore(root: string): string | undefined {
  try {
    return readFileSync(path.join(root, '.gitignore'), 'utf8')
  } catch {
    return undefined
  }
}
