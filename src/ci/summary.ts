/**
 * Under GitHub Actions, the run's summary as a Markdown table, appended to
 * the file `GITHUB_STEP_SUMMARY` names so that it shows on the run's page.
 * Generic over statuses: one the table does not know yet is shown as it is.
 */
import { appendFileSync } from 'node:fs'
import { formatDuration } from '../api/duration.js'
import type { TaskRecord } from '../run/events.js'

/** What a row needs: a task record, with any status string (`up-to-date`, `restored`, … as they come). */
export type SummaryRecord = Pick<TaskRecord, 'name' | 'duration' | 'exitCode' | 'startedAt'> & { status: string }

const MARKS: Record<string, string> = {
  ok: '✅',
  'up-to-date': '✅',
  restored: '♻️',
  failed: '❌',
  cancelled: '⏹️',
  skipped: '⏭️',
}

/** The Markdown for `$GITHUB_STEP_SUMMARY`: a heading with counts per status, then one row per task. */
export function stepSummary(records: readonly SummaryRecord[], total?: number): string {
  const counts = new Map<string, number>()
  for (const r of records) counts.set(r.status, (counts.get(r.status) ?? 0) + 1)
  const tally = [...counts].map(([status, n]) => `${n} ${status}`).join(', ')
  const tasks = `${records.length} ${records.length === 1 ? 'task' : 'tasks'}`
  const time = total === undefined ? '' : ` in ${formatDuration(total)}`
  const rows = records.map((r) => {
    const mark = MARKS[r.status]
    const status = mark ? `${mark} ${escapeMarkdown(r.status)}` : escapeMarkdown(r.status)
    // A task that never started has no time worth showing.
    const duration = r.startedAt === undefined && r.duration === 0 ? '–' : formatDuration(r.duration)
    return `| ${escapeMarkdown(r.name)} | ${status} | ${duration} | ${r.exitCode ?? ''} |`
  })
  return [
    `### runts: ${tasks}${records.length > 0 ? ` (${tally})` : ''}${time}`,
    '',
    '| task | status | time | exit code |',
    '| :--- | :--- | ---: | ---: |',
    ...rows,
    '',
  ].join('\n')
}

/** Markdown and table syntax in a task name shown as written: `publish:*`, `a|b`, `<x>`. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>|#~!]/g, (c) => `\\${c}`)
}

/**
 * Appends the summary when running under GitHub Actions with a step summary file; returns whether
 * it did. The one place with I/O here: called by the command after the run, success or failure.
 */
export function appendStepSummary(
  env: Readonly<Record<string, string | undefined>>,
  records: readonly SummaryRecord[],
  total?: number,
  append: (file: string, text: string) => void = appendFileSync,
): boolean {
  const file = env.GITHUB_STEP_SUMMARY
  if (env.GITHUB_ACTIONS !== 'true' || !file) return false
  append(file, `${stepSummary(records, total)}\n`)
  return true
}
