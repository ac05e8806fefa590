/**
 * The command line, parsed into one `Command` per mode. Every built-in
 * command is a flag, so a task may have any name. Flags come before the task
 * name; everything after it belongs to the task, flags included (like "$@").
 *
 * cac parses the flags: names, aliases, booleans, values, repeatable flags,
 * unknown flags. Two things it cannot do are written around it in `split()`:
 * mri (cac's parser) reads flags anywhere, so argv is cut at the task name
 * first; and it reads `-j2` as two flags, `-j -1` as a missing value and
 * `--file 08` as the number 8, so flags that take a value are handed to it as
 * `--jobs=2`, and their values are kept as typed.
 */
import { type CAC, cac } from 'cac'
import { CI_PROVIDERS, type Command, GRAPH_FORMATS, type RunOptions, SHELLS } from '../commands/command.js'
import { RuntsError } from '../errors.js'
import type { ProjectOptions } from '../project.js'
import { OUTPUT_MODES, type OutputMode } from '../report/output-mode.js'
import { didYouMean } from '../util/suggest.js'
import type { CompletionFlag } from '../views/completions.js'

interface Flag {
  raw: string
  description: string
  /** A mode: at most one per command line. */
  mode?: boolean
}

/** The one table of flags: cac and `--help` both read it. */
export const FLAGS: readonly Flag[] = [
  { raw: '-l, --list', description: 'List the tasks (the default when no task is given)', mode: true },
  { raw: '--json', description: 'With --list: a JSON array of {name, description, deps}' },
  { raw: '-x, --verbose', description: 'Print each shell command before it runs (like set -x)' },
  { raw: '-n, --dry-run', description: 'Print the plan, one task per line in execution order; run nothing', mode: true },
  { raw: '-j, --jobs <n>', description: 'Run at most N tasks at once (default: CPU count)' },
  { raw: '-k, --keep-going', description: 'After a failure, let independent tasks finish; report every failure' },
  {
    raw: '--output <mode>',
    description: 'auto (a lone task streams, concurrent ones prefix each line), prefixed, or grouped (each task whole when it ends)',
  },
  { raw: '--report <file>', description: 'Write a JSON record of the run (each task: status, start, duration, exit code)' },
  { raw: '--env-file <file>', description: 'Load FILE after .env and .env.local (repeatable)' },
  { raw: '--makefile', description: 'Print a Makefile with one target per public task', mode: true },
  {
    raw: '--init',
    description: 'Write a tasks.config.ts from a template (by pyproject.toml or package.json), a .env.example, and .env in .gitignore',
    mode: true,
  },
  { raw: '--template <name>', description: 'With --init: python or npm' },
  {
    raw: '--from <file>',
    description: 'With --init: convert a run.sh (bash functions), a Makefile or a package.json (scripts) into tasks.config.ts',
  },
  { raw: '--why', description: "Say for each task of TASK's plan whether it would run and why (the cache); run nothing", mode: true },
  { raw: '-B, --force', description: 'Run every task of the plan, whatever the cache says (and record it)' },
  { raw: '-w, --watch', description: 'Run TASK, then again whenever an input of its plan changes; Ctrl-C to stop', mode: true },
  { raw: '--graph', description: "Print the graph of TASK's plan (or of the whole file): Graphviz dot, or --format mermaid", mode: true },
  { raw: '--format <format>', description: 'With --graph: dot (default) or mermaid' },
  {
    raw: '--ci <provider>',
    description: 'Write the CI workflow for the tasks with `ci` (github: .github/workflows/runts.yml)',
    mode: true,
  },
  { raw: '--check', description: 'With --ci: write nothing; exit 1 with a diff when the file on disk is not what --ci would write' },
  { raw: '--completions <shell>', description: 'Print a completion script for bash, zsh or fish', mode: true },
  { raw: '--env', description: "Show the variables TASK's plan (or the whole file) uses: value (secrets masked) and source", mode: true },
  { raw: '-y, --yes', description: 'Answer yes to every confirm question (for CI)' },
  { raw: '-f, --file <file>', description: 'Use this tasks file instead of searching for tasks.config.ts' },
  { raw: '-h, --help', description: 'Show this help' },
  { raw: '-v, --version', description: 'Show the version' },
]

let parser: CAC | undefined

/** cac, with the flags of the table. */
function flagParser(): CAC {
  if (parser) return parser
  parser = cac('run')
  for (const flag of FLAGS) parser.option(flag.raw, flag.description)
  return parser
}

export function parseArgs(argv: readonly string[], defaultJobs: number): Command {
  const cli = flagParser()
  const { flags, values, task, args } = split(argv, cli)
  const o = { ...parseFlags(cli, flags), ...values }
  if (o.help) return { kind: 'help' }
  if (o.version) return { kind: 'version' }

  const modes = FLAGS.filter((f) => f.mode && o[camel(long(f))]).map(long)
  if (modes.length > 1) throw new RuntsError('usage', `${modes.join(' and ')} cannot be used together`, { hint: 'choose one' })
  const mode = modes[0]
  // `run --json` is `run --list --json`, as `run` is `run --list`.
  if (mode !== undefined || task !== undefined) goesWith(o, 'json', '--list', mode)
  goesWith(o, 'template', '--init', mode)
  goesWith(o, 'from', '--init', mode)
  goesWith(o, 'format', '--graph', mode)
  goesWith(o, 'check', '--ci', mode)
  if (task !== undefined && ['--list', '--makefile', '--init', '--ci', '--completions'].includes(mode ?? '')) {
    throw new RuntsError('usage', `${mode} takes no task name, but '${task}' was given`, {
      hint: '--dry-run TASK shows a plan; --env TASK shows its variables',
    })
  }
  if (task === undefined && (mode === '--why' || mode === '--watch')) {
    throw new RuntsError('usage', `${mode} needs a task name: run ${mode} TASK`)
  }

  const project: ProjectOptions = { file: last(o.file), envFile: all(o.envFile) }
  switch (mode) {
    case '--init':
      return { kind: 'init', template: last(o.template), from: last(o.from) }
    case '--completions':
      return { kind: 'completions', shell: oneOf('--completions', last(o.completions), SHELLS) }
    case '--makefile':
      return { kind: 'makefile', project }
    case '--env':
      return { kind: 'env', task, project }
    case '--graph':
      return { kind: 'graph', task, format: oneOf('--format', last(o.format) ?? 'dot', GRAPH_FORMATS), project }
    case '--ci':
      return { kind: 'ci', provider: oneOf('--ci', last(o.ci), CI_PROVIDERS), check: Boolean(o.check), project }
    case '--why':
      return { kind: 'why', task: task!, args, project, force: Boolean(o.force) }
    case '--watch':
      return { kind: 'watch', task: task!, args, project, run: runOptions(o, defaultJobs) }
  }
  if (task === undefined) return { kind: 'list', json: Boolean(o.json), project }
  if (mode === '--dry-run') return { kind: 'dry-run', task, args, project }
  return { kind: 'run', task, args, project, run: runOptions(o, defaultJobs) }
}

/** A flag that only means something beside a mode. */
function goesWith(o: Parsed, key: string, mode: string, given: string | undefined): void {
  if (o[key] !== undefined && o[key] !== false && given !== mode) throw new RuntsError('usage', `--${kebab(key)} goes with ${mode}`)
}

function oneOf<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T {
  if (value !== undefined && (choices as readonly string[]).includes(value)) return value as T
  throw new RuntsError('usage', `${flag} takes ${choices.join(', ')}, not '${value}'`)
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (l) => `-${l.toLowerCase()}`)

function runOptions(o: Parsed, defaultJobs: number): RunOptions {
  const jobsText = last(o.jobs)
  const jobs = jobsText === undefined ? defaultJobs : /^\d+$/.test(jobsText) ? Number(jobsText) : Number.NaN
  if (!Number.isInteger(jobs) || jobs < 1) throw new RuntsError('usage', `--jobs takes a whole number of at least 1, not '${jobsText}'`)
  const output = last(o.output) ?? 'auto'
  if (!(OUTPUT_MODES as readonly string[]).includes(output)) {
    throw new RuntsError('usage', `--output takes ${OUTPUT_MODES.join(', ')}, not '${output}'`)
  }
  return {
    jobs,
    keepGoing: Boolean(o.keepGoing),
    verbose: Boolean(o.verbose),
    yes: Boolean(o.yes),
    force: Boolean(o.force),
    output: output as OutputMode,
    report: last(o.report),
  }
}

type Parsed = Record<string, unknown>

/** cac's reading of the flags, with unknown flags and missing values as our errors. */
function parseFlags(cli: CAC, flags: string[]): Parsed {
  const { options } = cli.parse(['node', 'run', ...flags], { run: false })
  try {
    cli.globalCommand.checkUnknownOptions()
  } catch (error) {
    const name = /`([^`]+)`/.exec((error as Error).message)?.[1] ?? String((error as Error).message)
    const known = cli.globalCommand.options.flatMap((o) => o.rawName.split(/[ ,]+/).filter((n) => n.startsWith('-')))
    throw new RuntsError('usage', `unknown option '${name}'`, {
      hint: didYouMean(name, known) ?? "run 'run --help' for the options; options for a task go after its name",
    })
  }
  return options
}

/**
 * Cut argv at the task name: runts' flags before it, the task's arguments
 * after. A flag that takes a value is given to cac as `--name=value`.
 */
function split(argv: readonly string[], cli: CAC): { flags: string[]; values: Parsed; task?: string; args: string[] } {
  const byName = new Map(cli.globalCommand.options.flatMap((o) => o.names.map((n) => [n, o] as const)))
  // cac names options in camelCase (`envFile`).
  const takesValue = (name: string) => byName.get(camel(name))?.required !== undefined
  const flags: string[] = []
  const values: Record<string, string[]> = {}
  const withValue = (name: string, value: string | undefined, shown: string) => {
    if (value === undefined || value === '') throw new RuntsError('usage', `${shown} needs a value`)
    if (/^--?[a-zA-Z]/.test(value) && byName.has(camel(value.replace(/^--?/, '').split('=')[0]!))) {
      throw new RuntsError('usage', `${shown} needs a value, not the option '${value}'`)
    }
    const option = byName.get(camel(name))!
    flags.push(`--${option.name}=${value.trim()}`)
    values[option.name] = [...(values[option.name] ?? []), value.trim()]
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') return { flags, values, task: argv[i + 1], args: argv.slice(i + 2) }
    if (!arg.startsWith('-') || arg === '-') return { flags, values, task: arg, args: argv.slice(i + 1) }
    if (arg.startsWith('--')) {
      const [name, value] = splitOnce(arg.slice(2), '=')
      if (takesValue(name)) withValue(name, value ?? argv[++i], `--${name}`)
      else if (value !== undefined && byName.has(camel(name))) throw new RuntsError('usage', `--${name} takes no value`)
      else flags.push(arg)
      continue
    }
    // A group of short flags (-xn); a short flag that takes a value ends the group (-j2, -xj 2).
    const letters = arg.slice(1)
    const at = [...letters].findIndex((l) => takesValue(l))
    if (at < 0) {
      flags.push(arg)
      continue
    }
    if (at > 0) flags.push(`-${letters.slice(0, at)}`)
    const rest = letters.slice(at + 1).replace(/^=/, '')
    withValue(letters[at]!, rest || argv[++i], `-${letters[at]}`)
  }
  return { flags, values, args: [] }
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator)
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)]
}

const long = (flag: Flag) => flag.raw.split(/[ ,]+/).find((n) => n.startsWith('--'))!
const camel = (name: string) => name.replace(/^--/, '').replace(/-([a-z])/g, (_, l: string) => l.toUpperCase())

/** Every value given to a flag (repeatable flags give several). */
function all(value: unknown): string[] {
  return value === undefined ? [] : [value].flat().map(String)
}

function last(value: unknown): string | undefined {
  return all(value).at(-1)
}

/** The flags as the completion scripts offer them. */
export function completionFlags(): CompletionFlag[] {
  return FLAGS.map((f) => ({ raw: f.raw, description: f.description, value: f.raw.includes('<') }))
}

export function helpText(version: string): string {
  const width = Math.max(...FLAGS.map((f) => f.raw.length))
  return `run ${version}: run the tasks of tasks.config.ts

Usage:
  run [options]                  list the tasks (so does run help, unless a task is named help)
  run [options] TASK [ARGS...]   run TASK after its deps; ARGS go to TASK
  run --init [--from FILE]       start a tasks.config.ts (from a template, or from run.sh, a Makefile, package.json)

Options:
${FLAGS.map((f) => `  ${f.raw.padEnd(width)}  ${f.description}`).join('\n')}

The tasks file is tasks.config.ts (or .mts, .js, .mjs) in this folder or the
nearest parent folder; its folder is the project root, where commands run and
.env is read.

Exit codes: 0 ok; a failed command's own code; 1 a task threw; 2 a usage,
tasks-file or plan error, or a failed preflight check (nothing ran); 124 a
task's timeout; 126 a command that could not start; 129 SIGHUP; 130 Ctrl-C;
141 the output's reader went away; 143 SIGTERM.
`
}
