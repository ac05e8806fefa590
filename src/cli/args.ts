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
  keepGoing: boolean
  output: OutputMode
  report?: string
  envFile: string[]
  makefile: boolean
  env: boolean
  init: boolean
  template?: string
  yes: boolean
  help: boolean
  version: boolean
  task?: string
  args: string[]
}

export const OUTPUT_MODES = ['auto', 'prefixed', 'grouped'] as const
export type OutputMode = (typeof OUTPUT_MODES)[number]

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
  { raw: '-k, --keep-going', description: 'After a failure, let independent tasks finish; report every failure' },
  {
    raw: '--output <mode>',
    description: 'auto (a lone task streams, concurrent ones prefix each line), prefixed, or grouped (each task whole when it ends)',
    value: true,
  },
  { raw: '--report <file>', description: 'Write a JSON record of the run (each task: status, start, duration, exit code)', value: true },
  { raw: '--env-file <file>', description: 'Load FILE after .env and .env.local (repeatable)', value: true },
  { raw: '--makefile', description: 'Print a Makefile with one target per public task' },
  {
    raw: '--init',
    description: 'Write a tasks.config.ts from a template (by pyproject.toml or package.json), a .env.example, and .env in .gitignore',
  },
  { raw: '--template <name>', description: 'With --init: python or npm', value: true },
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
  const list = (v: unknown): string[] => (v === undefined ? [] : [v].flat().map(String))
  const jobs = o.jobs === undefined ? defaultJobs : /^\d+$/.test(String(list(o.jobs).at(-1))) ? Number(list(o.jobs).at(-1)) : Number.NaN
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new RuntsError('usage', `--jobs takes a whole number of at least 1, not '${list(o.jobs).at(-1)}'`, { exitCode: ExitCode.usage })
  }
  const alone = (['list', 'makefile', 'init'] as const).filter((k) => o[k])
  if (task !== undefined && alone.length > 0) {
    throw new RuntsError('usage', `--${alone[0]} takes no task name, but '${task}' was given`, {
      exitCode: ExitCode.usage,
      hint: '--dry-run TASK shows a plan; --env TASK shows its variables',
    })
  }
  if (o.json && !o.list) throw new RuntsError('usage', '--json goes with --list', { exitCode: ExitCode.usage })
  if (o.template !== undefined && !o.init) throw new RuntsError('usage', '--template goes with --init', { exitCode: ExitCode.usage })
  const output = String(list(o.output).at(-1) ?? 'auto')
  if (!(OUTPUT_MODES as readonly string[]).includes(output)) {
    throw new RuntsError('usage', `--output takes ${OUTPUT_MODES.join(', ')}, not '${output}'`, { exitCode: ExitCode.usage })
  }
  return {
    file: o.file === undefined ? undefined : String(list(o.file).at(-1)),
    list: Boolean(o.list),
    json: Boolean(o.json),
    verbose: Boolean(o.verbose),
    dryRun: Boolean(o.dryRun),
    jobs,
    keepGoing: Boolean(o.keepGoing),
    output: output as OutputMode,
    report: o.report === undefined ? undefined : String(list(o.report).at(-1)),
    envFile: list(o.envFile),
    makefile: Boolean(o.makefile),
    env: Boolean(o.env),
    init: Boolean(o.init),
    template: o.template === undefined ? undefined : String(list(o.template).at(-1)),
    yes: Boolean(o.yes),
    help: Boolean(o.help),
    version: Boolean(o.version),
    task,
    args,
  }
}

/**
 * Cut argv at the task name: runts' flags before it, the task's arguments
 * after. Flags are normalised for cac: `-xn` becomes `-x -n`, `-j2` and
 * `-j 2` become `--jobs=2` (so that `-j -1` is a bad value, not a flag).
 */
function split(argv: readonly string[]): { flags: string[]; task?: string; args: string[] } {
  const known = new Map(FLAGS.flatMap((flag) => names(flag).map((n) => [n, flag] as const)))
  const long = (flag: Flag) => names(flag).find((n) => n.startsWith('--'))!
  const unknown = (name: string) =>
    new RuntsError('usage', `unknown option '${name}'`, {
      exitCode: ExitCode.usage,
      hint: didYouMean(name, [...known.keys()]) ?? "run 'run --help' for the options; options for a task go after its name",
    })
  const flags: string[] = []
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!
    if (arg === '--') return { flags, task: argv[i + 1], args: argv.slice(i + 2) }
    if (!arg.startsWith('-') || arg === '-') return { flags, task: arg, args: argv.slice(i + 1) }
    // -xn: several short flags in one; -j2: a short flag and its value.
    if (/^-[^-]{2,}$/.test(arg)) {
      const first = known.get(arg.slice(0, 2))
      if (first?.value) arg = `${arg.slice(0, 2)}=${arg.slice(2)}`
      else {
        const letters = [...arg.slice(1)].map((l) => `-${l}`)
        for (const l of letters.slice(0, -1)) {
          const flag = known.get(l)
          if (!flag) throw unknown(l)
          if (flag.value) throw new RuntsError('usage', `${l} needs a value; give it on its own`, { exitCode: ExitCode.usage })
          flags.push(l)
        }
        arg = letters.at(-1)!
      }
    }
    const eq = arg.indexOf('=')
    const name = eq > 0 ? arg.slice(0, eq) : arg
    const flag = known.get(name)
    if (!flag) throw unknown(name)
    if (!flag.value) {
      if (eq > 0) throw new RuntsError('usage', `${name} takes no value`, { exitCode: ExitCode.usage })
      flags.push(arg)
      continue
    }
    let value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
    if (value === undefined || value === '') throw new RuntsError('usage', `${name} needs a value`, { exitCode: ExitCode.usage })
    if (eq < 0 && value.startsWith('-') && !/^-\d/.test(value) && known.has(value.split('=')[0]!)) {
      throw new RuntsError('usage', `${name} needs a value, not the option '${value}'`, { exitCode: ExitCode.usage })
    }
    value = value.trim()
    flags.push(`${long(flag)}=${value}`)
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
tasks-file or plan error (nothing ran); 124 a task's timeout; 129 SIGHUP;
130 Ctrl-C; 141 the output's reader went away; 143 SIGTERM.
`
}
