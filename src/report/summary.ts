/** The end-of-run summary: one line per task with its status and time, then a total. */
import { formatDuration } from '../api/duration.js'
import type { TaskRecord, TaskStatus } from '../run/events.js'
import type { Colors } from './colors.js'

/** Statuses that count as success. */
const SUCCESS: ReadonlySet<TaskStatus> = new Set(['ok', 'up-to-date', 'restored'])

export function succeeded(records: readonly TaskRecord[]): boolean {
  return records.every((r) => SUCCESS.has(r.status))
}

export function summaryText(records: readonly TaskRecord[], total: number, c: Colors): string {
  const ok = succeeded(records)
  const count = (s: TaskStatus) => records.filter((r) => r.status === s).length
  const cached = [count('up-to-date') ? `${count('up-to-date')} up to date` : '', count('restored') ? `${count('restored')} restored` : '']
    .filter(Boolean)
    .join(', ')
  if (ok && records.length === 1) {
    const only = records[0]!
    const how = only.status === 'ok' ? 'done' : only.status === 'up-to-date' ? 'up to date' : 'restored from the cache'
    return `${c.green('✓')} ${only.name} ${how} in ${formatDuration(total)}\n`
  }
  const width = Math.max(...records.map((r) => r.name.length))
  const mark: Record<TaskStatus, string> = {
    ok: c.green('✓'),
    'up-to-date': c.green('✓'),
    restored: c.green('✓'),
    failed: c.red('✗'),
    cancelled: c.yellow('■'),
    skipped: c.dim('-'),
  }
  const detail = (r: TaskRecord) => {
    const time = formatDuration(r.duration)
    switch (r.status) {
      case 'ok':
        return time
      case 'up-to-date':
        return `${time}  ${c.dim('up to date')}`
      case 'restored':
        return `${time}  ${c.dim('restored')}`
      case 'failed':
        return `${time}  ${c.red(`failed${r.exitCode ? ` (exit ${r.exitCode})` : ''}`)}`
      case 'cancelled':
        return `${time}  ${c.yellow('stopped')}`
      case 'skipped':
        return c.dim('not started')
    }
  }
  const lines = records.map((r) => `  ${mark[r.status]} ${r.name.padEnd(width)}  ${detail(r)}`)
  const done = count('ok') + count('up-to-date') + count('restored')
  const parts = [
    `${done} done${cached ? ` (${cached})` : ''}`,
    count('failed') ? `${count('failed')} failed` : '',
    count('cancelled') ? `${count('cancelled')} stopped` : '',
    count('skipped') ? `${count('skipped')} not started` : '',
  ].filter(Boolean)
  const head = ok
    ? `${c.green('✓')} ${records.length} tasks done${cached ? ` (${cached})` : ''} in ${formatDuration(total)}`
    : `${c.red('✗')} ${parts.join(', ')} in ${formatDuration(total)}`
  return `${lines.join('\n')}\n${head}\n`
}
