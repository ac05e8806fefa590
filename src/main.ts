/**
 * The whole flow, top-down: parse the command line, find and load the tasks
 * file, plan, check, run, report. Returns the exit code.
 */
import { accessSync, constants, existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { currentScope, setFallbackScope } from './api/context.js'
import { helpText, parseArgs } from './cli/args.js'
import { RAN_TASKS } from './cli/code-cache.js'
import { listJson, listText } from './cli/list.js'
import { envFiles, loadEnv } from './env/load.js'
import { Masker } from './env/mask.js'
import { declaredSecrets, findSecrets } from './env/secrets.js'
import { ExitCode, RuntsError } from './errors.js'
import type { Io } from './io.js'
import { findTasksFile } from './load/find.js'
import { loadTasksFile } from './load/load.js'
import { buildGraph, graphProblems } from './plan/graph.js'
import { checkEnv, confirmations, missingEnv, plan } from './plan/plan.js'
import { colors, useColor } from './report/colors.js'
import { GithubReporter } from './report/github.js'
import { renderError, renderFailure } from './report/render-error.js'
import { Reporter } from './report/reporter.js'
import { runReport } from './report/run-report.js'
import { failureExitCode } from './run/events.js'
import { VERSION } from './version.js'

export async function main(io: Io): Promise<number> {
  const c = colors(useColor(io.env, io.colorTerminal))
  const masker = new Masker([])
  /** Everything runts prints to stdout goes through the masker. */
  const print = (text: string): number => {
    io.stdout.write(masker.mask(text))
    return ExitCode.ok
  }
  // RUNTS_DEBUG=1: what the cache did, and when each phase ended (ms since the process started).
  const debug = io.env.RUNTS_DEBUG ? (m: string) => io.stderr.write(`runts: ${m} (at ${performance.now().toFixed(1)} ms)\n`) : () => {}
  try {
    debug('started')
    const options = parseArgs(io.argv, io.cpus)
    if (options.help) return print(helpText(VERSION))
    if (options.version) return print(`${VERSION}\n`)
    if (options.init) {
      const { init } = await import('./cli/init.js')
      const result = init(io.cwd, options.template, path.join(packageRoot(), 'tasks'))
      return print(
        `wrote ${result.written.join(', ')} (the ${result.template} template) in ${io.cwd}\nnext: copy .env.example to .env and fill in the tokens; 'run' (node_modules/.bin/run) lists the tasks\n`,
      )
    }
    const runs = options.task !== undefined && !options.list && !options.makefile && !options.env

    // The project: its tasks file, its root (where commands run), its environment.
    const file = findTasksFile(io.cwd, options.file)
    const root = path.dirname(file)
    const loaded = loadEnv(io.env, envFiles(root, io.cwd, options.envFile), io.readFile)
    for (const [name, value] of Object.entries(loaded.values)) io.env[name] = value
    // Every file value too: a secret in .env stays a secret when the shell overrides it (and `cat .env` runs in a task).
    const secrets = findSecrets([...Object.entries(loaded.values), ...loaded.fileValues])
    masker.add(secrets.values)
    const reporter =
      io.env.GITHUB_ACTIONS === 'true'
        ? new GithubReporter(io.stdout, io.stderr, masker, c)
        : new Reporter(io.stdout, io.stderr, masker, c, options.output)
    if (reporter instanceof GithubReporter) reporter.announceSecrets(masker.secrets)
    // What the tasks' own JavaScript prints goes through the reporter, as its commands' output does.
    io.captureProcessOutput((stream, text) => {
      const task = currentScope().task
      if (!task) return masker.mask(text)
      reporter.handle({ kind: 'output', task, stream, data: text })
      return undefined
    })
    debug('environment loaded')
    const warnings = [...loaded.warnings]
    const shortSecrets = new Set(secrets.tooShort)

    io.chdir(root)
    setFallbackScope({ shell: { cwd: root, env: loaded.values } })
    const tasksFile = await loadTasksFile(file, { selfEntry, debug, importModule: io.importModule })
    debug('tasks file imported')
    const graph = buildGraph(tasksFile.exports)
    debug('graph built')
    const declared = declaredSecrets(graph.secrets, loaded.values)
    masker.add(declared.values)
    if (reporter instanceof GithubReporter) reporter.announceSecrets(declared.values)
    for (const name of declared.tooShort) shortSecrets.add(name)

    // Views of the file: nothing runs.
    if (!runs) {
      for (const problem of graphProblems(graph)) reporter.warn(`${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`)
      if (options.makefile) {
        const [{ makefile }, { runCommand }] = await Promise.all([import('./cli/makefile.js'), import('./cli/self.js')])
        return print(makefile(graph, runCommand(root)))
      }
      if (options.env) {
        for (const warning of warnings) reporter.warn(warning)
        const tasks = options.task === undefined ? [...graph.byName.values()] : plan(graph, options.task).order
        const { envReport } = await import('./cli/env-report.js')
        return print(envReport(tasks, loaded, graph.secrets, masker))
      }
      return print(options.json ? listJson(graph) : listText(graph, path.relative(io.cwd, file) || path.basename(file), c))
    }

    // A plan, checked before anything runs.
    const thePlan = plan(graph, options.task!)
    for (const warning of warnings) reporter.warn(warning)
    for (const name of shortSecrets) reporter.warn(`${name} is shorter than 4 characters, so its value is not masked`)
    if (options.dryRun) {
      print(`${thePlan.order.map((n) => n.name).join('\n')}\n`)
      const missing = missingEnv(thePlan, loaded.values)
      if (missing.size > 0) reporter.warn(`a real run would stop first: missing ${[...missing.keys()].join(', ')}`)
      for (const node of confirmations(thePlan))
        reporter.warn(`a real run asks first: ${node.confirm} (task '${node.name}'; --yes answers it)`)
      return ExitCode.ok
    }
    checkEnv(thePlan, loaded.values)
    const reportFile = options.report === undefined ? undefined : path.resolve(io.cwd, options.report)
    if (reportFile) checkWritable(reportFile)
    await confirm(io, confirmations(thePlan), options.yes)

    // The run.
    reporter.setTaskNames(thePlan.order.filter((n) => n.run).map((n) => n.name))
    const started = io.now()
    const { Runner } = await import('./run/runner.js')
    // Tells the code cache (src/cli/code-cache.ts) that this run compiled the runner too.
    ;(globalThis as { [RAN_TASKS]?: boolean })[RAN_TASKS] = true
    const runner = new Runner({
      jobs: options.jobs,
      keepGoing: options.keepGoing,
      trace: options.verbose,
      args: options.args,
      root,
      env: loaded.values,
      emit: (event) => reporter.handle(event),
      now: () => io.now(),
    })
    const stopListening = io.onSignal((signal) => runner.interrupt(signal))
    const result = await runner.run(thePlan).finally(stopListening)
    debug('run ended')

    for (const { task, failure } of result.failures) reporter.failure(task, renderFailure(task, failure, c, io.cwd, tasksFile.inputs))
    if (result.signal) reporter.message(`${c.red('error:')} stopped by ${result.signal}\n`)
    reporter.summary(result.records, io.now() - started)
    if (reportFile) {
      try {
        io.writeFile(reportFile, masker.mask(runReport(result.records)))
      } catch (error) {
        reporter.message(
          renderError(
            new RuntsError('usage', `could not write the report ${reportFile}: ${(error as Error).message}`, { exitCode: 1 }),
            c,
            io.cwd,
          ),
        )
      }
    }
    if (result.signal) return signalExitCode(result.signal)
    const first = result.failures[0]
    return first ? failureExitCode(first.failure) : ExitCode.ok
  } catch (error) {
    io.stderr.write(masker.mask(renderError(error, c, io.cwd)))
    return error instanceof RuntsError ? error.exitCode : ExitCode.taskFailed
  }
}

/** `--report FILE` must be writable before anything runs: its folder exists and can be written to. */
function checkWritable(file: string): void {
  try {
    accessSync(path.dirname(file), constants.W_OK)
  } catch {
    throw new RuntsError('usage', `cannot write the report to ${file}: its folder does not exist or cannot be written to`, {
      exitCode: ExitCode.usage,
      hint: 'give --report a path in an existing folder; nothing was run',
    })
  }
}

function signalExitCode(signal: NodeJS.Signals): number {
  const codes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: ExitCode.sigint, SIGHUP: ExitCode.sighup, SIGPIPE: ExitCode.sigpipe }
  return codes[signal] ?? ExitCode.sigterm
}

async function confirm(io: Io, tasks: ReturnType<typeof confirmations>, yes: boolean): Promise<void> {
  if (yes || tasks.length === 0) return
  if (!io.interactive) {
    const names = tasks.map((t) => `'${t.name}'`).join(', ')
    throw new RuntsError('confirm', `${names} ${tasks.length === 1 ? 'asks' : 'ask'} for confirmation, and there is no terminal to ask`, {
      exitCode: ExitCode.usage,
      hint: 'pass --yes to answer yes (for CI); nothing was run',
    })
  }
  for (const task of tasks) {
    const answer = await io.ask(`${task.confirm} (task '${task.name}') [y/N] `)
    if (answer === 'interrupted')
      throw new RuntsError('interrupted', 'interrupted at the confirmation; nothing was run', { exitCode: ExitCode.sigint })
    if (!answer) {
      throw new RuntsError('declined', `'${task.name}' was not confirmed; nothing was run`, { exitCode: ExitCode.taskFailed })
    }
  }
}

/** This package's public entry, for a tasks file with no node_modules around it. */
function selfEntry(): string {
  return path.join(packageRoot(), 'dist', 'index.js')
}

/** The folder of this package (its package.json), from the running code. */
function packageRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'tasks'))) return dir
    if (path.dirname(dir) === dir) throw new Error('runts: cannot find its own package folder')
  }
}
