/**
 * A stand-in `run` for the completion tests until the CLI has the flags: `--completions SHELL` prints
 * the script, `--complete -- WORDS…` answers from completions.ts with the tasks in RUNTS_STANDIN_TASKS
 * (JSON). Each call's words are appended to RUNTS_STANDIN_LOG, one JSON array a line.
 * Bundled by esbuild into a temp folder by the test (see standinRun).
 */
import { appendFileSync } from 'node:fs'
import { FLAGS } from '../../src/cli/args.js'
import { completeWords, completionOutput, completionScript, type Shell } from '../../src/views/completions.js'

const flags = [
  ...FLAGS,
  { raw: '--completions <shell>', description: 'Print a completion script for bash, zsh or fish', value: true },
  { raw: '--graph', description: "Print the task graph (of TASK's plan, or of the whole file)" },
  { raw: '--format <format>', description: 'With --graph: dot or mermaid', value: true },
  { raw: '-w, --watch', description: 'Run TASK, then again whenever an input of its plan changes' },
]
const [mode, ...rest] = process.argv.slice(2)
if (mode === '--completions') process.stdout.write(completionScript(rest[0] as Shell))
else if (mode === '--complete') {
  const words = rest[0] === '--' ? rest.slice(1) : rest
  if (process.env.RUNTS_STANDIN_LOG) appendFileSync(process.env.RUNTS_STANDIN_LOG, `${JSON.stringify(words)}\n`)
  process.stdout.write(completionOutput(completeWords(words, JSON.parse(process.env.RUNTS_STANDIN_TASKS ?? '[]'), flags)))
} else process.exitCode = 2
