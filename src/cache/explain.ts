/**
 * Why a task must run, in the words `run --why` prints: what differs between
 * its last good run and now. Pure.
 */
import type { Fingerprint } from './fingerprint/fingerprint.js'
import { fileList, hashAt } from './fingerprint/input-table.js'
import type { TaskState } from './fingerprint/task-state.js'

/** The reasons `run --why` gives that are not a change. */
export const NO_INPUTS = 'no inputs declared'
export const NEVER_RAN = 'never ran'
export const UP_TO_DATE = 'up to date'
export const RESTORES = 'restores from cache'
export const FORCED = 'forced (--force)'
/** The fingerprint is the last run's, but its entry left the cache (evicted, or removed by hand). */
export const NOT_CACHED = 'not in the cache'

/** What differs from the last good run: the input files that changed, appeared or went away (in path order), and the rest (`env PYTHON changed`, `args changed`, …). */
export interface Changes {
  files: string[]
  /** `src/app.py changed`, `src/new.py added`, … for each of `files`. */
  fileTexts: string[]
  others: string[]
}

/** What changed since `previous` (the last good run), e.g. `src/app.py changed`, `env PYTHON changed`. */
export function changeReason(previous: TaskState | undefined, now: Fingerprint): string {
  if (!previous) return NEVER_RAN
  return describeChanges(changesSince(previous, now))
}

/** The reason `run --why` gives for these changes. */
export function describeChanges({ fileTexts, others }: Changes): string {
  const reasons: string[] = []
  if (fileTexts.length > 0) reasons.push(fileTexts.length === 1 ? fileTexts[0]! : `${fileTexts[0]} (and ${fileTexts.length - 1} more)`)
  reasons.push(...others)
  return reasons.length > 0 ? reasons.join(', ') : NOT_CACHED
}

/** What differs between `previous` and `now`. */
export function changesSince(previous: TaskState, now: Fingerprint): Changes {
  const files = fileChanges(previous, now)
  const others: string[] = []
  const names = new Set([...Object.keys(previous.env), ...Object.keys(now.env)])
  for (const name of [...names].sort()) {
    if (previous.env[name] !== now.env[name]) others.push(`env ${name} changed`)
  }
  if (previous.args !== now.args) others.push('args changed')
  if (previous.definition !== now.definition) others.push('task definition changed')
  return { files: files.map(([file]) => file), fileTexts: files.map(([, text]) => text), others }
}

/** Each input that changed, appeared or went away, in path order. */
function fileChanges(previous: TaskState, now: Fingerprint): Array<[string, string]> {
  const before = new Map<string, string>()
  for (const [i, file] of fileList(previous.inputs).entries()) before.set(file, hashAt(previous.inputs, i))
  const out: Array<[string, string]> = []
  for (const [i, file] of fileList(now.inputs).entries()) {
    const was = before.get(file)
    if (was === undefined) out.push([file, `${file} added`])
    else if (was !== hashAt(now.inputs, i)) out.push([file, `${file} changed`])
    before.delete(file)
  }
  for (const file of before.keys()) out.push([file, `${file} removed`])
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
}
