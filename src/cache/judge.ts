/**
 * `run --why`'s view of one task: whether a run would skip it and why,
 * reading what the run would read and changing nothing in the project. With
 * the files its deps restore first (`ahead`), it is judged on the files as
 * the run will find them.
 */
import type { TaskNode } from '../plan/graph.js'
import type { FilesAhead } from './ahead.js'
import { seenOutputs } from './entries.js'
import { type Changes, changeReason, changesSince, FORCED, NO_INPUTS, RESTORES, UP_TO_DATE } from './explain.js'
import type { Fingerprint } from './fingerprint.js'
import { differingOutputs } from './outputs.js'
import type { SharedCache } from './shared-cache.js'
import type { LocalStore, OutputFile } from './store.js'
import type { TaskState, TaskStates } from './task-state.js'

/** What `run --why` says of one task. */
export interface Judgement {
  /** A run would not run it (up to date, or restored). */
  skips: boolean
  /** `never ran`, `src/app.py changed`, `up to date`, … */
  reason: string
  /** Its input files as it will find them, as paths from the root. */
  inputs: readonly string[]
  /** When it skips: the files its restore writes (none when up to date); absent when not known (an entry only the shared cache has, not fetched). */
  restores?: readonly OutputFile[]
  /** When it runs because something changed since its last good run: what. */
  changes?: Changes
}

/** How it is asked. */
export interface JudgeOptions {
  /** The files its deps restore before it starts. */
  ahead?: FilesAhead
  /** A later task reads what it restores: an entry only the shared cache has is brought into the local store (as the run would) to know its files. */
  fetch?: boolean
}

/** What judging needs of the cache. */
export interface JudgeContext {
  root: string
  states: TaskStates
  store: LocalStore
  shared?: SharedCache
  force: boolean
  take(task: TaskNode, args: readonly string[], previous: TaskState | undefined, ahead?: FilesAhead): Fingerprint | undefined
}

/** Whether a run would skip this task, and why. Nothing runs, nothing is restored. */
export async function judge(ctx: JudgeContext, task: TaskNode, args: readonly string[], options: JudgeOptions = {}): Promise<Judgement> {
  if (!task.inputs || !task.run) return { skips: false, reason: NO_INPUTS, inputs: [] }
  const previous = ctx.states.read(task.name)
  const now = ctx.take(task, args, previous, options.ahead)
  if (!now) return { skips: false, reason: 'its inputs cannot be read', inputs: [] }
  const inputs = now.inputs.map(([file]) => file)
  if (ctx.force) return { skips: false, reason: FORCED, inputs }
  let meta = ctx.store.read(now.key)
  if (!meta && ctx.shared) {
    if (!options.fetch) {
      if (await ctx.shared.has(now.key, task.name)) return { skips: true, reason: RESTORES, inputs }
    } else if (await ctx.shared.fetch(now.key, task.name, ctx.store)) meta = ctx.store.read(now.key)
  }
  if (!meta) return { skips: false, reason: changeReason(previous, now), inputs, changes: previous && changesSince(previous, now) }
  let restores: readonly OutputFile[]
  try {
    restores = differingOutputs(ctx.root, meta.outputs, seenOutputs(previous, now), options.ahead)
  } catch {
    restores = meta.outputs // an output that cannot be read is restored
  }
  return { skips: true, reason: restores.length > 0 ? RESTORES : UP_TO_DATE, inputs, restores }
}
