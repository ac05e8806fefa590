/**
 * A task's fingerprint: the content of every input file, the values of the
 * variables it names in `env`, its args, its own definition (options and the
 * source text of `run`), the values of its `optional` variables (or their
 * defaults), and the platform. Two runs with one fingerprint do the same
 * work; it is the key of the task's entry in the caches. Secret values enter
 * it only as HMACs (secret-keys.ts).
 *
 * Taking it costs a stat per input: a file whose size, times and inode match
 * the last good run's record (file-stat.ts) keeps its recorded hash; only the
 * others are read.
 */
import path from 'node:path'
import type { Step, TaskNode } from '../../plan/graph.js'
import type { InputSet } from '../inputs/input-set.js'
import { Digest, hashFile, hashOf } from './hash.js'
import { emptyTable, HASH_LENGTH, type InputTable, TableBuilder, TableCursor, unchangedRow } from './input-table.js'
import type { SecretKeys } from './secret-keys.js'

/** Changing it makes every recorded fingerprint unknown (a new way of computing them). */
const KEY_FORMAT = 'runts-fingerprint/2'

/** A fingerprint, and what the task state records of it. */
export interface Fingerprint {
  key: string
  /** When the inputs were statted. */
  taken: number
  definition: string
  args: string
  /** Variable name to salted hash of its value. */
  env: Record<string, string>
  inputs: InputTable
  /** One hash of every input's path and content. */
  inputsHash: string
  /** How many inputs had to be read (their stat changed, or was too recent to trust). */
  read: number
  /** The secret variables (and `args`, when they hold a secret) whose values are in the key. */
  secrets: string[]
}

/** The last good run's record of the inputs, which spares reading unchanged ones. */
export interface PreviousInputs {
  inputs: InputTable
  taken: number
  inputsHash: string
}

/** Files that will be there when the task starts, laid over what is on disk now (for `run --why`). */
export interface Overlay {
  layOver(inputs: InputTable, set: InputSet): InputTable
}

/** Where and with what a fingerprint is taken. */
export interface FingerprintContext {
  root: string
  env: Readonly<Record<string, string | undefined>>
  /** A salted hash of values that may be secret, for the task state: it tells a change without holding the value. */
  digest: (...fields: string[]) => string
  secretKeys: SecretKeys
  now: () => number
}

/**
 * The task's fingerprint now, its inputs being `set`; `previous` spares reading unchanged inputs.
 * `overlay` (for `run --why`): the files its deps restore before it starts, taken as they will be.
 */
export function fingerprint(
  task: TaskNode,
  args: readonly string[],
  set: InputSet,
  context: FingerprintContext,
  previous?: PreviousInputs,
  overlay?: Overlay,
): Fingerprint {
  const { root, env, secretKeys } = context
  const taken = context.now()
  const { inputs: found, read, same: unchanged } = statInputs(root, set, previous)
  const inputs = overlay ? overlay.layOver(found, set) : found
  const same = unchanged && inputs === found
  const definition = definitionText(task)
  const secrets: string[] = []
  const argsText = JSON.stringify(args)
  let argsPart = argsText
  if (secretKeys.argsSecret(args)) {
    argsPart = secretKeys.part('args', argsText)
    secrets.push('args')
  }
  const key = new Digest().add(KEY_FORMAT, process.platform, process.arch, definition, argsPart)
  const envDigests: Record<string, string> = {}
  for (const name of variablesOf(task)) {
    // An optional variable that is unset or empty is its default, as the task sees it.
    const seen = env[name] || task.optional[name] || env[name]
    const value = seen === undefined ? '\0unset' : `=${seen}`
    if (seen && (task.secret.includes(name) || secretKeys.isSecret(name, seen))) {
      key.add(name, secretKeys.part(name, value))
      secrets.push(name)
    } else key.add(name, value)
    envDigests[name] = context.digest(name, value)
  }
  // The inputs as one hash: the last run's when every input is the same file, unread.
  let inputsHash = previous?.inputsHash
  if (!same || !inputsHash) {
    // No path holds a NUL, and a hash has a fixed length: one string says it all.
    inputsHash = new Digest().add(inputs.files, inputs.hashes).digest()
  }
  key.add(inputsHash)
  return {
    key: key.digest(),
    taken,
    definition: hashOf(definition),
    args: context.digest('args', argsText),
    env: envDigests,
    inputs,
    inputsHash,
    read,
    secrets,
  }
}

/**
 * Each input with its stat and hash. The walk gives the files in path order, as the last run's table
 * has them, so both are read side by side (no map to build). While every file is the last run's,
 * unchanged, nothing is made: the last run's table is the answer. From the first difference on, a new
 * table is written, unchanged files keeping their records and the others read.
 */
function statInputs(root: string, set: InputSet, previous: PreviousInputs | undefined) {
  const old = previous?.inputs ?? emptyTable()
  const taken = previous?.taken ?? 0
  const rows = new TableCursor(old)
  let made: TableBuilder | undefined
  /** From here on the table differs from the last run's: a new one, starting with the rows so far. */
  const differ = () => {
    if (made) return made
    made = new TableBuilder()
    made.copyFirst(old, rows.row, rows.offset)
    return made
  }
  let read = 0
  set.walk(root, (file, stat) => {
    // Rows before this file are files that went away.
    while (!rows.done && !rows.is(file) && rows.file() < file) {
      differ()
      rows.next()
    }
    if (rows.is(file)) {
      if (unchangedRow(stat, old, rows.row, taken)) {
        made?.copy(old, rows.row, file)
        rows.next()
        return
      }
      differ()
      rows.next()
    } else differ()
    read++
    made!.add(file, stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, hashFile(`${root}${path.sep}${file}`))
  })
  if (!rows.done) differ()
  const same = made === undefined && previous !== undefined
  return { inputs: made ? made.build() : old, read, same }
}

/**
 * The first input that differs from the table taken before the task ran (added, removed, or other
 * content), or undefined: a file edited while its task ran makes the run's outputs those of neither
 * version. A file whose stat is unchanged, and was not too recent when taken, is not read again.
 */
export function changedSince(root: string, set: InputSet, before: InputTable, taken: number): string | undefined {
  const rows = new TableCursor(before)
  let changed: string | undefined
  set.walk(root, (file, stat) => {
    if (changed !== undefined) return
    if (!rows.is(file)) {
      changed = rows.done || rows.file() > file ? file : rows.file()
      return
    }
    const i = rows.row
    rows.next()
    if (unchangedRow(stat, before, i, taken)) return
    let hash: string | undefined
    try {
      hash = hashFile(`${root}${path.sep}${file}`)
    } catch {
      // Gone since the walk saw it: changed.
    }
    if (hash === undefined || !before.hashes.startsWith(hash, i * HASH_LENGTH)) changed = file
  })
  return changed ?? (rows.done ? undefined : rows.file())
}

/** The variables whose values it reads: those of `env` and of `optional`, sorted. */
function variablesOf(task: TaskNode): string[] {
  const optional = Object.keys(task.optional)
  return optional.length === 0 ? [...task.env].sort() : [...new Set([...task.env, ...optional])].sort()
}

/** Everything the tasks file says about a task, as text: any change to it is a new fingerprint. */
export function definitionText(task: TaskNode): string {
  return JSON.stringify({
    name: task.name,
    description: task.description ?? null,
    deps: task.deps.map(stepText),
    env: task.env,
    secret: task.secret,
    optional: task.optional,
    confirm: task.confirm ?? null,
    timeout: task.timeout ?? null,
    interactive: task.interactive,
    inputs: task.inputs ?? null,
    outputs: task.outputs ?? null,
    run: task.run ? String(task.run) : null,
  })
}

function stepText(step: Step): string {
  return step.kind === 'task' ? step.task.name : `parallel(${step.members.map(stepText).join(', ')})`
}
