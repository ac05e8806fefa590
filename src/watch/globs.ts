/**
 * What `run --watch TASK` watches: the input sets of the plan's tasks (each
 * task's `inputs`, its own `!` excludes applying to it alone: the very sets
 * its fingerprint is taken over, cache/inputs), or, when a task that runs
 * declares none, the whole project less what its `.gitignore` ignores (caches
 * like `.pytest_cache/` that the task itself rewrites would start the next
 * run, for ever). Either way `.git/` and `node_modules/` count only when a
 * glob names them, and the plan's `outputs` never count (a task writing its
 * outputs must not start the next run). Pure: no I/O.
 */
import ignore from 'ignore'
import { InputSet } from '../cache/inputs/input-set.js'
import { inputSetOf } from '../cache/inputs/task-sets.js'
import { roots } from '../cache/inputs/walk.js'

/** The part of a task `--watch` reads (TaskNode gets `inputs` and `outputs` with the cache). */
export interface WatchableTask {
  run?: unknown
  inputs?: readonly string[]
  outputs?: readonly string[]
}

export interface WatchTarget {
  /** Each running task's input set, or 'project' for the whole project folder. */
  inputs: readonly InputSet[] | 'project'
  /** The plan's outputs. */
  outputs: InputSet
  /** For the whole project: the lines of its `.gitignore` (what git ignores is not a source). */
  gitignore?: string
}

/** The plan's input sets; the whole project (less what `.gitignore` ignores) when a task with a `run` has no inputs. */
export function watchTarget(tasks: readonly WatchableTask[], gitignore?: string): WatchTarget {
  const running = tasks.filter((t) => t.run)
  const outputs = new InputSet([...new Set(tasks.flatMap((t) => t.outputs ?? []))])
  if (running.length === 0 || running.some((t) => !t.inputs || t.inputs.length === 0)) return { inputs: 'project', outputs, gitignore }
  return { inputs: running.map(inputSetOf), outputs }
}

/** The globs watched, for the message that says so. */
export function watchedGlobs(target: WatchTarget): readonly string[] | 'project' {
  return target.inputs === 'project' ? 'project' : [...new Set(target.inputs.flatMap((set) => set.patterns))]
}

/** What the project's `.gitignore` ignores (a folder is asked about with a trailing `/`). */
function ignoredByGit(target: WatchTarget): (path: string, folder: boolean) => boolean {
  if (target.inputs !== 'project' || !target.gitignore) return () => false
  const rules = ignore().add(target.gitignore)
  return (path, folder) => path !== '' && rules.ignores(folder ? `${path}/` : path)
}

const HIDDEN_FOLDERS = ['.git', 'node_modules']

/** Whether a path (relative to the root, with `/`) is a change that starts a new run. */
export function changeMatcher(target: WatchTarget): (path: string) => boolean {
  const { outputs } = target
  const sets = target.inputs
  if (sets === 'project') {
    const ignored = ignoredByGit(target)
    return (path) => !path.split('/').some((part) => HIDDEN_FOLDERS.includes(part)) && !outputs.matches(path) && !ignored(path, false)
  }
  return (path) => !outputs.matches(path) && sets.some((set) => set.matches(path))
}

/** Where changes can come from: the fixed start of each input glob (`src` for `src/**`), or the root (''). None inside another. */
export function watchRoots(target: WatchTarget): string[] {
  if (target.inputs === 'project') return ['']
  return roots(target.inputs.flatMap((set) => set.roots()))
}

/**
 * Folders never worth descending into: hidden folders no glob names, outputs, and folders that neither
 * hold nor lead to a file an input set may match (`docs` when the inputs are `src/**` and
 * `conf/app.json`; `conf` is kept, so that `conf/app.json` is seen when `conf` is made, or removed and
 * made again).
 */
export function skipFolder(target: WatchTarget): (path: string) => boolean {
  const { outputs } = target
  const sets = target.inputs
  if (sets === 'project') {
    const ignored = ignoredByGit(target)
    return (path) => {
      const name = path.slice(path.lastIndexOf('/') + 1)
      return HIDDEN_FOLDERS.includes(name) || outputs.matches(path) || ignored(path, true)
    }
  }
  return (path) => !sets.some((set) => set.mayHold(path))
}
