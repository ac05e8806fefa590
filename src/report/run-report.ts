/** `--report FILE`: a JSON record of the run, for CI dashboards. */
import type { TaskRecord } from '../run/events.js'

export function runReport(records: readonly TaskRecord[]): string {
  const tasks = records.map((r) => ({
    name: r.name,
    status: r.status,
    start: r.startedAt === undefined ? null : new Date(r.startedAt).toISOString(),
    duration: Math.round(r.duration),
    exitCode: r.exitCode ?? null,
  }))
  return `${JSON.stringify({ tasks }, null, 2)}\n`
}
