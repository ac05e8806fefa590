/**
 * Using an entry and making one. Using: the task's outputs are compared with
 * the entry's (restored when missing or changed) and what it printed is read
 * back. Making: after a good run, its outputs are copied in and its output kept
 * (masked), in a folder that becomes the entry only once it is whole. Either
 * way the task's state is written, so that the next check is stat-only.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { TaskNode } from '../plan/graph.js'
import type { OutputChunk } from '../run/gate.js'
import { OUTPUTS_DIR, restoreOutputs, storeOutputs } from './copies.js'
import type { Fingerprint } from './fingerprint.js'
import { hashOf } from './hash.js'
import { checkOutputs, outputFiles, statOutputs } from './outputs.js'
import { decodeOutput, encodeOutput, type MaskBytes } from './replay.js'
import { ENTRY_FORMAT, type EntryMeta, type LocalStore } from './store.js'
import { type OutputStat, STATE_FORMAT, type TaskState, type TaskStates } from './task-state.js'

/** What using and making entries needs. */
export interface EntryContext {
  root: string
  store: LocalStore
  states: TaskStates
  mask?: MaskBytes
  warn: (message: string) => void
  now: () => number
}

/** A task skipped with an entry: how, and what it printed. */
export interface Reused {
  status: 'up-to-date' | 'restored'
  output: OutputChunk[]
}

/** The outputs' sizes and times last seen for this very fingerprint, which spare reading them. */
export function seenOutputs(previous: TaskState | undefined, now: Fingerprint) {
  return previous?.key === now.key ? { stats: previous.outputs, taken: previous.outputsTaken } : undefined
}

/** Skips the task with this entry; `undefined` when the entry turns out unusable (it is removed, the task runs). */
export async function useEntry(
  ctx: EntryContext,
  task: TaskNode,
  meta: EntryMeta,
  now: Fingerprint,
  previous?: TaskState,
): Promise<Reused | undefined> {
  const { root, store } = ctx
  const dir = store.dir(meta.key)
  let output: OutputChunk[]
  try {
    output = decodeOutput(readFileSync(path.join(dir, 'output.log')))
  } catch {
    store.remove(meta.key)
    return undefined
  }
  const check = checkOutputs(root, meta.outputs, seenOutputs(previous, now))
  let stats = check.stats
  if (!check.unchanged) {
    try {
      restoreOutputs(path.join(dir, OUTPUTS_DIR), root, meta.outputs)
      stats = statOutputs(root, meta.outputs)
    } catch {
      store.remove(meta.key)
      return undefined
    }
  }
  if (previous?.key !== now.key || now.read > 0 || check.read > 0 || !check.unchanged) ctx.states.write(stateOf(ctx, task, now, stats))
  store.touch(meta.key)
  return { status: check.unchanged ? 'up-to-date' : 'restored', output }
}

/** Stores a good run under its fingerprint; false when it could not (said with a warning). */
export async function makeEntry(
  ctx: EntryContext,
  task: TaskNode,
  now: Fingerprint,
  output: readonly OutputChunk[],
  duration: number,
): Promise<boolean> {
  const { root, store } = ctx
  let scratch: string | undefined
  try {
    const files = outputFiles(root, task.outputs ?? [])
    const log = encodeOutput(output, ctx.mask)
    const bytes = files.reduce((sum, { size }) => sum + size, log.length)
    if (bytes > store.maxBytes) {
      ctx.warn(`${task.name}'s outputs (${mib(bytes)}) are larger than the whole cache (${mib(store.maxBytes)}); they were not cached`)
      return false
    }
    scratch = store.scratch(now.key)
    const outputs = storeOutputs(
      root,
      files.map(({ file }) => file),
      path.join(scratch, OUTPUTS_DIR),
    )
    writeFileSync(path.join(scratch, 'output.log'), log)
    const stored = outputs.files.reduce((sum, { size }) => sum + size, log.length)
    const meta: EntryMeta = { format: ENTRY_FORMAT, key: now.key, task: task.name, duration, outputs: outputs.files, log: hashOf(log) }
    writeFileSync(path.join(scratch, 'meta.json'), JSON.stringify(meta))
    store.publish(scratch, now.key, stored)
    ctx.states.write(stateOf(ctx, task, now, outputs.stats))
    return true
  } catch (error) {
    if (scratch) rmSync(scratch, { recursive: true, force: true })
    ctx.warn(`could not cache ${task.name} (${(error as Error).message}); it will run again next time`)
    return false
  }
}

function stateOf(ctx: EntryContext, task: TaskNode, now: Fingerprint, outputs: OutputStat[]): TaskState {
  const { key, taken, definition, args, env, inputs, inputsHash } = now
  return { format: STATE_FORMAT, task: task.name, key, taken, definition, args, env, inputs, inputsHash, outputs, outputsTaken: ctx.now() }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`
}
