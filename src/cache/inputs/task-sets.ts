/**
 * A task's input set and output set, compiled once per task: the inputs are
 * its `inputs` globs less its `outputs` (a task writing its outputs does not
 * change its inputs), the outputs its `outputs` globs. The fingerprint, the
 * restore's confinement, `run --why` and `run --watch` all take them from here.
 */
import { InputSet } from './input-set.js'

/** What a task declares (a TaskNode has it). */
export interface Declared {
  readonly inputs?: readonly string[]
  readonly outputs?: readonly string[]
}

const inputSets = new WeakMap<Declared, InputSet>()
const outputSets = new WeakMap<Declared, InputSet>()

/** The files whose content decides whether the task runs. */
export function inputSetOf(task: Declared): InputSet {
  let set = inputSets.get(task)
  if (!set) {
    set = new InputSet(task.inputs ?? [], task.outputs ?? [])
    inputSets.set(task, set)
  }
  return set
}

/** The files the task writes: what its cache entry holds, and all that a restore may write. */
export function outputSetOf(task: Declared): InputSet {
  let set = outputSets.get(task)
  if (!set) {
    set = new InputSet(task.outputs ?? [])
    outputSets.set(task, set)
  }
  return set
}
