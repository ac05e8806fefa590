/**
 * A run stopped before anything ran (a check failed, a variable is missing,
 * a question was not answered): what `--report` and the GitHub step summary
 * say of it. Every task of the plan is `skipped` (it never started), and the
 * reason is there beside them: each check with its result, and the error.
 */
import type { TaskRecord } from '../run/events.js'

export interface CheckOutcome {
  task: string
  check: string
  /** Undefined when it passed. */
  failure?: string
}

export interface Stop {
  /** The error that stopped the run, as printed (kind, message, hint). */
  kind: string
  message: string
  hint?: string
  exitCode: number
  /** The checks that were made, passed or not (none when the run stopped before them). */
  checks: readonly CheckOutcome[]
}

/** The plan's tasks, none started. */
export function notStarted(names: readonly string[]): TaskRecord[] {
  return names.map((name) => ({ name, status: 'skipped', duration: 0 }))
}

/** `--report`'s JSON for a stopped run: the tasks (all `skipped`), then why. */
export function stoppedReport(records: readonly TaskRecord[], stop: Stop): string {
  const tasks = records.map((r) => ({ name: r.name, status: r.status, start: null, duration: 0, exitCode: null }))
  const checks = stop.checks.map((c) => ({ task: c.task, check: c.check, passed: c.failure === undefined, message: c.failure ?? null }))
  const stopped = { kind: stop.kind, message: stop.message, hint: stop.hint ?? null, exitCode: stop.exitCode }
  return `${JSON.stringify({ tasks, stopped, checks }, null, 2)}\n`
}

/** The Markdown after the step summary's table: why nothing ran, each failed check with its task. */
export function stoppedMarkdown(stop: Stop): string {
  const failed = stop.checks.filter((c) => c.failure !== undefined)
  const lines = failed.length
    ? failed.map((c) => `- **${markdownText(c.task)}** (${markdownText(c.check)}): ${markdownText(c.failure!)}`)
    : [`- ${markdownText(stop.message)}`]
  return [
    `**Stopped before anything ran** (exit code ${stop.exitCode}):`,
    '',
    ...lines,
    ...(stop.hint ? ['', markdownText(stop.hint)] : []),
    '',
  ].join('\n')
}

/** Text from a check shown as written in Markdown, on one line. */
function markdownText(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\`*_[\]<>|#~!]/g, (c) => `\\${c}`)
}
