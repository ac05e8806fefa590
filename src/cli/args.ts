/**
 * The command line. Every built-in command is a flag, so a task may have any
 * name. Flags come before the task name; everything after it belongs to the
 * task, flags included (like `"$@"`).
 */
import { cac } from 'cac'
import { ExitCode, RuntsError } from '../errors.js'
import { didYouMean } from '../plan/suggest.js'

export interface CliOptions {
  file?: string
  list: boolean
  json: boolean
  verbose: boolean
  dryRun: boolean
  jobs: number
  envFile: string[]
  makefile: boolean
  env: boolean
  yes: boolean
  help: boolean
  version: boolean
  task?: string
  args: string[]
}

interface Flag {
  raw: string
  description: string
  /** Takes a value (`--jobs 4`). */
  value?: boolean
}

/** The one table of flags: parsing, splitting argv and `--help` all read it. */
export const FLAGS: readonly Flag[] = [
  { raw: '-l, --list', description: 'List the tasks (the default when no task is given)' },
  { raw: '--json', description: 'With --list: a JSON array of {name, description, deps}' },
  { raw: '-x, --verbose', description: 'Print each shell command before it runs (like set -x)' },
  { raw: '-n, --dry-run', description: 'Print the plan, one task per line in execution order; run nothing' },
  { raw: '-j, --jobs <n>', description: 'Run at most N tasks at once (default: CPU count)', value: true },
  { raw: '--env-file <file>', description: 'Load FILE after .env and .env.local (repeatable)', value: true },
  { raw: '--makefile', description: 'Print a Makefile with one target per public task' },
  { raw: '--env', description: "Show the variables TASK's plan (or the whole file) uses: value (secrets masked) and source" },
  { raw: '-y, --yes', description: 'Answer yes to every confirm question (for CI)' },
  { raw: '-f, --file <file>', description: 'Use this tasks file instead of searching for tasks.config.ts', value: true },
  { raw: '-h, --help', description: 'Show this help' },
  { raw: '-v, --version', description: 'Show the version' },
]

const names = (flag: Flag) => flag.raw.split(/[ ,]+/).filter((p) => p.startsWith('-'))

export function parseArgs(argv: readonly string[], defaultJobs: number): CliOptions {
  const { flags, task, args } = split(argv)
  const cli = cac('run')
  for (const flag of FLAGS) cli.option(flag.raw, flag.description)
  const parsed = cli.parse(['node', 'run', ...flags], { run: false })
  const o = parsed.options
  const jobs = o.jobs === undefined ? defaultJobs : Number(o.jobs)
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new RuntsError('usage', `--jobs takes a whole number of at least 1, not '${String(o.jobs)}'`, { exitCode: ExitCode.usage })
  }
  const list = (v: unknown): string[] => (v === undefined ? [] : [v].flat().map(String))
  for (const key of ['file', 'envFile'] as const) {
    if (o[key] === true || (Array.isArray(o[key]) && o[key].includes(true))) {
      throw new RuntsError('usage', `--${key === 'envFile' ? 'env-file' : key} needs a file name`, { exitCode: ExitCode.usage })
    }
  }
  return {
    file: o.file === undefined ? undefined : String(list(o.file).at(-1)),
    list: Boolean(o.list),
    json: Boolean(o.json),
    verbose: Boolean(o.verbose),
    dryRun: Boolean(o.dryRun),
    jobs,
    envFile: list(o.envFile),
    makefile: Boolean(o.makefile),
    env: Boolean(o.env),
    yes: Boolean(o.yes),
    help: Boolean(o.help),
    version: Boolean(o.version),
    task,
    args,
  }
}

/** Cut argv at the task name: runts' flags before it, the task's arguments after. */
function split(argv: readonly string[]): { flags: string[]; task?: string; args: string[] } {
  const known = new Map(FLAGS.flatMap((flag) => names(flag).map((n) => [n, flag] as const)))
  const flags: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') return { flags, task: argv[i + 1], args: argv.slice(i + 2) }
    if (!arg.startsWith('-') || arg === '-') return { flags, task: arg, args: argv.slice(i + 1) }
    const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg
    const flag = known.get(name)
    if (!flag) {
      throw new RuntsError('usage', `unknown option '${name}'`, {
        exitCode: ExitCode.usage,
        hint: didYouMean(name, [...known.keys()]) ?? "run 'run --help' for the options; options for a task go after its name",
      })
    }
    flags.push(arg)
    if (flag.value && !arg.includes('=')) {
      const next = argv[i + 1]
      if (next === undefined) throw new RuntsError('usage', `${name} needs a value`, { exitCode: ExitCode.usage })
      flags.push(next)
      i++
    }
  }
  return { flags, args: [] }
}

export function helpText(version: string): string {
  const width = Math.max(...FLAGS.map((f) => f.raw.length))
  return `run ${version}: run the tasks of tasks.config.ts

Usage:
  run [options]                  list the tasks
  run [options] TASK [ARGS...]   run TASK after its deps; ARGS go to TASK

Options:
${FLAGS.map((f) => `  ${f.raw.padEnd(width)}  ${f.description}`).join('\n')}

The tasks file is tasks.config.ts (or .mts, .js, .mjs) in this folder or the
nearest parent folder; its folder is the project root, where commands run and
.env is read.

Exit codes: 0 ok; a failed command's own code; 1 a task threw; 2 a usage,
tasks-file or plan error (nothing ran); 130 Ctrl-C; 143 SIGTERM.
`
}
