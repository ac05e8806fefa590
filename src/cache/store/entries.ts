/**
 * Opening an entry of the local store and making one. Opening: its
 * description and what the task printed are read back, and every path it
 * names is checked against the task's outputs (confine.ts); an entry that
 * fails any check is not used. Making: after a good run, its outputs are
 * copied in and what it printed kept (masked), in a folder that becomes the
 * entry only once it is whole.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { OutputChunk } from '../../run/gate.js'
import type { OutputStat } from '../fingerprint/file-stat.js'
import { hashOf } from '../fingerprint/hash.js'
import type { InputSet } from '../inputs/input-set.js'
import { PROJECT_TEMPORARY } from './atomic.js'
import { linkedOut, refusedPath, shownPath } from './confine.js'
import { storeOutputs } from './copies.js'
import { ENTRY_FORMAT, type EntryMeta, OUTPUTS_DIR, type OutputFile } from './entry-format.js'
import type { LocalStore } from './local-store.js'
import { decodeOutput, encodeOutput, type MaskBytes } from './replay.js'

/** An entry that can be used: its description and what the task printed. */
export interface Entry {
  meta: EntryMeta
  output: OutputChunk[]
}

/** An entry that cannot be used, and why (`its output log is missing`, `it would write .git/hooks/x, under .git/`). */
export interface Unusable {
  unusable: string
}

/** The store's entry for `key`, checked: undefined when there is none. `outputs`: the task's output globs. */
export function openEntry(store: LocalStore, key: string, outputs: InputSet): Entry | Unusable | undefined {
  const meta = store.read(key)
  if (!meta) return undefined
  const refused = checkMeta(meta, outputs)
  if (refused) return { unusable: refused }
  let output: OutputChunk[]
  try {
    output = decodeOutput(readFileSync(path.join(store.dir(key), 'output.log')))
  } catch (error) {
    return { unusable: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'its output log is missing' : 'its output log is damaged' }
  }
  return { meta, output }
}

/** Why an entry's description cannot be used for a task with these outputs, or undefined. */
export function checkMeta(meta: EntryMeta, outputs: InputSet): string | undefined {
  if (!Array.isArray(meta.outputs) || typeof meta.log !== 'string') return 'its description is damaged'
  for (const output of meta.outputs) {
    const refused = refusedPath(output?.file, outputs)
    if (refused) return refused
    if (typeof output.size !== 'number' || typeof output.hash !== 'string' || !isTime(output.mtimeMs)) {
      return `its description of ${shownPath(output.file)} is damaged`
    }
  }
  return undefined
}

/** An output's time, as a restore gives it back: absent, or a time a Date holds (anything else would fail the restore half-way). */
function isTime(ms: unknown): boolean {
  return ms === undefined || (typeof ms === 'number' && Math.abs(ms) <= 8.64e15)
}

/** The first of these files whose copy in the entry is missing or not of its size: the entry cannot restore it. */
export function missingCopy(store: LocalStore, meta: EntryMeta, files: readonly OutputFile[]): string | undefined {
  for (const { file, size } of files) {
    const stat = statSync(path.join(store.dir(meta.key), OUTPUTS_DIR, file), { throwIfNoEntry: false })
    if (!stat?.isFile() || stat.size !== size) return file
  }
  return undefined
}

/** What making an entry needs. */
export interface MakeContext {
  root: string
  store: LocalStore
  mask?: MaskBytes
  warn: (message: string) => void
}

/** Stores a good run under `key`: its output files and what it printed. The outputs' stats, or undefined when it could not (said with a warning). */
export function makeEntry(
  ctx: MakeContext,
  task: { name: string; outputs: InputSet },
  key: string,
  output: readonly OutputChunk[],
  duration: number,
): OutputStat[] | undefined {
  const { root, store } = ctx
  let scratch: string | undefined
  try {
    // Not what a restore killed half-way left (`.runts-tmp-…`), nothing a restore would refuse.
    const files = task.outputs
      .files(root)
      .filter(({ file }) => !path.basename(file).startsWith(`${PROJECT_TEMPORARY}-`) && refusedPath(file, task.outputs) === undefined)
    // A link to a file that is not the project's (`~/.npmrc`, `.git/config`): the task runs again next time.
    const outside = linkedOut(
      root,
      files.map(({ file }) => file),
    )
    if (outside !== undefined) {
      ctx.warn(`${task.name}'s output ${shownPath(outside)} is a link out of the project (or into .git/); it was not cached`)
      return undefined
    }
    const log = encodeOutput(output, ctx.mask)
    const bytes = files.reduce((sum, { size }) => sum + size, log.length)
    if (bytes > store.maxBytes) {
      ctx.warn(`${task.name}'s outputs (${mib(bytes)}) are larger than the whole cache (${mib(store.maxBytes)}); they were not cached`)
      return undefined
    }
    scratch = store.scratch(key)
    const outputs = storeOutputs(
      root,
      files.map(({ file }) => file),
      path.join(scratch, OUTPUTS_DIR),
    )
    writeFileSync(path.join(scratch, 'output.log'), log)
    const stored = outputs.files.reduce((sum, { size }) => sum + size, log.length)
    const meta: EntryMeta = { format: ENTRY_FORMAT, key, task: task.name, duration, outputs: outputs.files, log: hashOf(log) }
    writeFileSync(path.join(scratch, 'meta.json'), JSON.stringify(meta))
    store.publish(scratch, key, stored)
    return outputs.stats
  } catch (error) {
    if (scratch) rmSync(scratch, { recursive: true, force: true })
    ctx.warn(`could not cache ${task.name} (${(error as Error).message}); it will run again next time`)
    return undefined
  }
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`
}
