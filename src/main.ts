/**
 * The whole flow, top-down: parse the command line, find and load the tasks
 * file, plan, check, run, report. Returns the exit code.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { setFallbackScope } from './api/context.js'
import { helpText, parseArgs } from './cli/args.js'
import { envReport } from './cli/env-report.js'
import { listJson, listText } from './cli/list.js'
import { makefile } from './cli/makefile.js'
import { runCommand } from './cli/self.js'
import { envFiles, loadEnv } from './env/load.js'
import { Masker } from './env/mask.js'
import { declaredSecrets, findSecrets } from './env/secrets.js'
import { ExitCode, RuntsError } from './errors.js'
import type { Io } from './io.js'
import { findTasksFile } from './load/find.js'
import { loadTasksFile } from './load/load.js'
import { buildGraph } from './plan/graph.js'
import { checkEnv, confirmations, missingEnv, plan } from './plan/plan.js'
import { colors, useColor } from './report/colors.js'
import { renderError, renderFailure } from './report/render-error.js'
import { Reporter } from './report/reporter.js'
import { Runner } from './run/runner.js'
import { VERSION } from './version.js'

export async function main(io: Io): Promise<number> {
  const c = colors(useColor(io.env, io.colorTerminal))
  const masker = new Masker([])
  /** Everything runts prints to stdout goes through the masker. */
  const print = (text: string): number => {
    io.stdout.write(masker.mask(text))
    return ExitCode.ok
  }
  try {
    const options = parseArgs(io.argv, io.cpus)
    if (options.help) return print(helpText(VERSION))
    if (options.version) return print(`${VERSION}\n`)

    const file = findTasksFile(io.cwd, options.file)
    const root = path.dirname(file)
    const debug = io.env.RUNTS_DEBUG ? (m: string) => io.stderr.write(`runts: ${m}\n`) : () => {}

    const loaded = loadEnv(io.env, envFiles(root, io.cwd, options.envFile), io.readFile)
    for (const [name, value] of Object.entries(loaded.values)) io.env[name] = value
    const secrets = findSecrets(loaded.values)
    masker.add(secrets.values)
    io.maskProcessOutput((text) => masker.mask(text))
    const reporter = new Reporter(io.stdout, io.stderr, masker, c)
    for (const warning of loaded.warnings) reporter.warn(warning)
    const warned = new Set<string>()
    const warnShort = (names: string[]) => {
      for (const name of names.filter((n) => !warned.has(n))) {
        warned.add(name)
        reporter.warn(`${name} is shorter than 4 characters, so its value is not masked`)
      }
    }
    warnShort(secrets.tooShort)

    setFallbackScope({ shell: { cwd: root, env: loaded.values } })
    const tasksFile = await loadTasksFile(file, { selfEntry: selfEntry(), debug })
    const graph = buildGraph(tasksFile.exports)
    const declared = declaredSecrets(graph.secrets, loaded.values)
    masker.add(declared.values)
    warnShort(declared.tooShort)
    const shown = path.relative(io.cwd, file) || path.basename(file)

    if (options.makefile) return print(makefile(graph, runCommand(root)))
    if (options.env) {
      const tasks = options.task === undefined ? [...graph.byName.values()] : plan(graph, options.task).order
      return print(envReport(tasks, loaded, graph.secrets, masker))
    }
    if (options.list || options.task === undefined) {
      return print(options.json ? listJson(graph) : listText(graph, shown, c))
    }

    const thePlan = plan(graph, options.task)
    if (options.dryRun) {
      print(`${thePlan.order.map((n) => n.name).join('\n')}\n`)
      const missing = missingEnv(thePlan, loaded.values)
      if (missing.size > 0) reporter.warn(`a real run would stop first: missing ${[...missing.keys()].join(', ')}`)
      return ExitCode.ok
    }
    checkEnv(thePlan, loaded.values)
    await confirm(io, confirmations(thePlan), options.yes)

    reporter.setTaskNames(thePlan.order.map((n) => n.name))
    const started = io.now()
    const runner = new Runner({
      jobs: options.jobs,
      trace: options.verbose,
      args: options.args,
      root,
      env: loaded.values,
      emit: (event) => reporter.handle(event),
      now: () => io.now(),
    })
    const stopListening = io.onSignal((signal) => runner.interrupt(signal))
    const result = await runner.run(thePlan).finally(stopListening)

    if (result.failure) {
      reporter.message(renderFailure(result.failure.task, result.failure.failure, c, io.cwd, tasksFile.inputs))
    }
    if (result.signal) reporter.message(`${c.red('error:')} stopped by ${result.signal}\n`)
    reporter.summary(result.records, io.now() - started)
    if (result.signal) return result.signal === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm
    if (result.failure) {
      const f = result.failure.failure
      return f.kind === 'command' ? f.exitCode || ExitCode.taskFailed : ExitCode.taskFailed
    }
    return ExitCode.ok
  } catch (error) {
    io.stderr.write(masker.mask(renderError(error, c, io.cwd)))
    return error instanceof RuntsError ? error.exitCode : ExitCode.taskFailed
  }
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
    if (!(await io.ask(`${task.confirm} (task '${task.name}') [y/N] `))) {
      throw new RuntsError('declined', `'${task.name}' was not confirmed; nothing was run`, { exitCode: ExitCode.taskFailed })
    }
  }
}

/** This package's public entry, for a tasks file with no node_modules around it. */
function selfEntry(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'dist', 'index.js')))
      return path.join(dir, 'dist', 'index.js')
    if (path.dirname(dir) === dir) throw new Error('runts: cannot find its own dist/index.js')
  }
}
