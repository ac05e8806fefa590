/**
 * A task's fingerprint: the content of every input file, the values of the
 * variables it names in `env`, its args, its own definition (options and the
 * source text of `run`), the values of its `optional` variables (or their
 * defaults), and the platform. Two runs with one fingerprint do
 * the same work; it is the key of the task's entry in the caches.
 *
 * Taking it costs a stat per input: a file whose size and modification time
 * match the last good run's (and are old enough to trust) keeps its recorded
 * hash; only the others are read.
 */
import path from 'node:path'
import type { Step, TaskNode } from '../plan/graph.js'
import type { FilesAhead } from './ahead.js'
import { globStats } from './glob.js'
import { Digest, hashFile, hashOf } from './hash.js'
import { type InputStat, type TaskState, type TaskStates, trusted } from './task-state.js'

/** Changing it makes every recorded fingerprint unknown (a new way of computing them). */
const KEY_FORMAT = 'runts-fingerprint/1'

/** A fingerprint, and what the task state records of it. */
export interface Fingerprint {
  key: string
  /** When the inputs were statted. */
  taken: number
  definition: string
  args: string
  /** Variable name to salted hash of its value. */
  env: Record<string, string>
  inputs: InputStat[]
  /** One hash of every input's path and content. */
  inputsHash: string
  /** How many inputs had to be read (their size or time changed, or were too recent). */
  read: number
}

/** Where and with what a fingerprint is taken. */
export interface FingerprintContext {
  root: string
  env: Readonly<Record<string, string | undefined>>
  states: TaskStates
  now: () => number
}

/**
 * The task's fingerprint now; `previous` (the last good run's state) spares reading unchanged inputs.
 * `ahead` (for `run --why`): the files its deps restore before it starts, taken as they will be.
 */
export function fingerprint(
  task: TaskNode,
  args: readonly string[],
  context: FingerprintContext,
  previous?: TaskState,
  ahead?: FilesAhead,
): Fingerprint {
  const { root, env, states } = context
  const taken = context.now()
  const { inputs: found, read, same: unchanged } = statInputs(root, task, previous)
  const inputs = ahead ? ahead.layOver(found, task.inputs ?? [], task.outputs ?? []) : found
  const same = unchanged && inputs === found
  const definition = definitionText(task)
  const key = new Digest().add(KEY_FORMAT, process.platform, process.arch, definition, JSON.stringify(args))
  const envDigests: Record<string, string> = {}
  for (const name of variablesOf(task)) {
    // An optional variable that is unset or empty is its default, as the task sees it.
    const seen = env[name] || task.optional[name] || env[name]
    const value = seen === undefined ? '\0unset' : `=${seen}`
    key.add(name, value)
    envDigests[name] = states.secretDigest(name, value)
  }
  // The inputs as one hash: the last run's when every input is the same file, unread.
  let inputsHash = previous?.inputsHash
  if (!same || !inputsHash) {
    // No path holds a NUL, and a hash has a fixed length: one string says it all.
    let list = ''
    for (const [file, , , hash] of inputs) list += `${file}\0${hash}\n`
    inputsHash = hashOf(list)
  }
  key.add(inputsHash)
  return {
    key: key.digest(),
    taken,
    definition: hashOf(definition),
    args: states.secretDigest('args', JSON.stringify(args)),
    env: envDigests,
    inputs,
    inputsHash,
    read,
  }
}

/**
 * Each input with its size, time and hash. Both lists are in path order, so
 * they are walked side by side (no map to build), and an unchanged input
 * keeps the last run's record (nothing to allocate).
 */
function statInputs(root: string, task: TaskNode, previous: TaskState | undefined) {
  const old = previous?.inputs ?? []
  const was = { size: 0, mtimeMs: 0, taken: previous?.taken ?? 0 }
  const inputs: InputStat[] = []
  let read = 0
  let j = 0
  let same = true
  for (const { file, size, mtimeMs } of globStats(root, task.inputs ?? [], task.outputs ?? [])) {
    let before = old[j]
    if (before?.[0] !== file) {
      same = false
      while (j < old.length && old[j]![0] < file) j++
      before = old[j]?.[0] === file ? old[j] : undefined
    }
    if (before) {
      j++
      was.size = before[1]
      was.mtimeMs = before[2]
      if (trusted(size, mtimeMs, was)) {
        inputs.push(before)
        continue
      }
    }
    read++
    same = false
    inputs.push([file, size, mtimeMs, hashFile(`${root}${path.sep}${file}`)])
  }
  return { inputs, read, same: same && inputs.length === old.length }
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
