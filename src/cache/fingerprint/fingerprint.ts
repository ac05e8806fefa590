/**
 * A task's fingerprint: the content of every input file, the values of the
 * variables it names in `env`, its args, its own definition (options and the
 * source text of `run`), the values of its `optional` variables (or their
 * defaults), and the platform. Two runs with one fingerprint do the same
 * work; it is the key of the task's entry in the caches. Secret values enter
 * it only as HMACs (secret-keys.ts), and so do the inputs when an env file
 * (`.env`) is among them.
 *
 * Taking it costs a stat per input: a file whose size, times and inode match
 * the last good run's record (file-stat.ts) keeps its recorded hash; only the
 * others are read.
 */
import { isSecretFile } from '../../env/secrets.js'
import type { Step, TaskNode } from '../../plan/graph.js'
import type { InputSet } from '../inputs/input-set.js'
import { Digest, hashOf } from './hash.js'
import { fileList, type InputTable } from './input-table.js'
import type { SecretKeys } from './secret-keys.js'
import { type PreviousInputs, statInputs } from './stat-inputs.js'

export type { PreviousInputs } from './stat-inputs.js'

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
  /** The secret variables (and `args`, when they hold a secret, and the env files among the inputs) whose values are in the key. */
  secrets: string[]
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
  // An env file among the inputs holds secrets: whoever knows the other inputs could test guesses of it.
  const secretFiles = secretInputs(inputs)
  if (secretFiles.length > 0) {
    key.add(secretKeys.part('inputs', inputsHash))
    secrets.push(...secretFiles)
  } else key.add(inputsHash)
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

/** The input files that hold secrets by their name (`.env`, `.env.production`): none, in the common case, without splitting the paths. */
function secretInputs(inputs: InputTable): string[] {
  return inputs.files.includes('.env') ? fileList(inputs).filter(isSecretFile) : []
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
