/**
 * The one decision of the cache: what a run does with a task now. `skip`
 * (`up-to-date`, or `restored` with the files a restore writes) or `run`, with
 * the reason `run --why` prints and the input files it read. The runner's gate
 * (cache.ts) acts on it; `run --why` (forecast.ts) prints it. It changes no
 * file of the project: an entry only the shared cache has is brought into the
 * local store (checked whole, as the run would), so that both see the same
 * entry.
 */
import type { TaskNode } from '../plan/graph.js'
import type { FilesAhead } from './ahead.js'
import { type Changes, changeReason, changesSince, FORCED, NO_INPUTS, RESTORES, UP_TO_DATE } from './explain.js'
import type { OutputStat } from './fingerprint/file-stat.js'
import type { Fingerprint } from './fingerprint/fingerprint.js'
import { fileList } from './fingerprint/input-table.js'
import type { TaskState, TaskStates } from './fingerprint/task-state.js'
import type { InputSet } from './inputs/input-set.js'
import { inputSetOf, outputSetOf } from './inputs/task-sets.js'
import { refusedFolders } from './store/confine.js'
import { type Entry, missingCopy, openEntry } from './store/entries.js'
import type { OutputFile } from './store/entry-format.js'
import type { LocalStore } from './store/local-store.js'
import { compareOutputs, type SeenOutputs } from './store/outputs.js'

/** The task runs: why, and what the run needs to record it. */
export interface RunVerdict {
  action: 'run'
  /** `never ran`, `src/app.py changed`, `no inputs declared`, `forced (--force)`, … */
  reason: string
  /** When it runs because something changed since its last good run: what. */
  changes?: Changes
  /** Its fingerprint now: absent when it has no inputs (or they cannot be read), so nothing is recorded. */
  fingerprint?: Fingerprint
  /** The local entry under this fingerprint cannot be used (the gate removes it): why. */
  unusable?: string
}

/** The task does not run: its outputs are as the entry has them, or are restored from it. */
export interface SkipVerdict {
  action: 'skip'
  status: 'up-to-date' | 'restored'
  /** `up to date`, `restores from cache`. */
  reason: string
  fingerprint: Fingerprint
  previous: TaskState | undefined
  entry: Entry
  /** The entry's outputs that a restore writes (none when up to date). */
  restores: readonly OutputFile[]
  /** When up to date: the outputs' stats now, for the next check. */
  stats: OutputStat[]
  /** How many outputs were read to compare them. */
  read: number
}

export type Verdict = RunVerdict | SkipVerdict

/** How it is asked: `ahead`, for `run --why`, holds the files deps restore before the task starts. */
export interface VerdictOptions {
  ahead?: FilesAhead
}

/** What deciding needs of the cache. */
export interface VerdictContext {
  root: string
  states: TaskStates
  store: LocalStore
  /** Brings an entry from the shared cache into the local store, checked whole (absent without a shared cache); false when it cannot. */
  fetch?: (key: string, task: { name: string; outputs: InputSet }) => Promise<boolean>
  force: boolean
  /** The fingerprint (undefined when the inputs cannot be read, said with a warning). */
  take(task: TaskNode, args: readonly string[], set: InputSet, previous: TaskState | undefined, ahead?: FilesAhead): Fingerprint | undefined
  /** Whether an entry of this fingerprint may come from, or go to, the shared cache. */
  shareable(task: TaskNode, fingerprint: Fingerprint): boolean
}

/** What a run does with this task now, and why. */
export async function verdict(
  ctx: VerdictContext,
  task: TaskNode,
  args: readonly string[],
  options: VerdictOptions = {},
): Promise<Verdict> {
  if (!task.inputs || !task.run) return { action: 'run', reason: NO_INPUTS }
  const previous = ctx.states.read(task.name)
  const now = ctx.take(task, args, inputSetOf(task), previous, options.ahead)
  if (!now) return { action: 'run', reason: 'its inputs cannot be read' }
  if (ctx.force) return { action: 'run', reason: FORCED, fingerprint: now }
  const outputs = outputSetOf(task)
  let entry = openEntry(ctx.store, now.key, outputs)
  if (!entry && ctx.fetch && ctx.shareable(task, now) && (await ctx.fetch(now.key, { name: task.name, outputs }))) {
    entry = openEntry(ctx.store, now.key, outputs)
  }
  if (entry && 'unusable' in entry) return cannotUse(entry.unusable, now)
  if (!entry)
    return {
      action: 'run',
      reason: changeReason(previous, now),
      fingerprint: now,
      changes: previous && changesSince(previous, now),
    }
  const seen: SeenOutputs | undefined = previous?.key === now.key ? { stats: previous.outputs, taken: previous.outputsTaken } : undefined
  let check: ReturnType<typeof compareOutputs>
  try {
    check = compareOutputs(ctx.root, entry.meta.outputs, seen, options.ahead)
  } catch {
    // An output that cannot be read is restored.
    check = { differing: entry.meta.outputs, stats: [], read: 0 }
  }
  const base = { action: 'skip' as const, fingerprint: now, previous, entry, stats: check.stats, read: check.read }
  if (check.differing.length === 0) return { ...base, status: 'up-to-date', reason: UP_TO_DATE, restores: [] }
  const missing = missingCopy(ctx.store, entry.meta, check.differing)
  if (missing) return cannotUse(`its copy of ${missing} is missing or damaged`, now)
  const refused = refusedFolders(
    ctx.root,
    check.differing.map(({ file }) => file),
  )
  if (refused) return { action: 'run', reason: `its outputs cannot be restored (${refused})`, fingerprint: now }
  return { ...base, status: 'restored', reason: RESTORES, restores: check.differing }
}

function cannotUse(why: string, now: Fingerprint): RunVerdict {
  return { action: 'run', reason: `its cache entry cannot be used (${why})`, fingerprint: now, unusable: why }
}

/** The input files a verdict was taken on, as paths from the root (none for a task without inputs). */
export function inputFiles(decided: Verdict): readonly string[] {
  return decided.fingerprint ? fileList(decided.fingerprint.inputs) : []
}
