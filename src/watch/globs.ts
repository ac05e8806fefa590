/**
 * What `run --watch TASK` watches: the `inputs` globs of the plan's tasks (from the project root,
 * `!pattern` excludes), or, when a task that runs declares none, the whole project less what its
 * `.gitignore` ignores (caches like `.pytest_cache/` that the task itself rewrites would start the next
 * run, for ever). Either way `.git/` and `node_modules/` count only when a glob names them, and the
 * plan's `outputs` never count (a task writing its outputs must not start the next run). Pure: no I/O.
 */
import ignore from 'ignore'
import picomatch from 'picomatch'

/** The part of a task `--watch` reads (TaskNode gets `inputs` and `outputs` with the cache). */
export interface WatchableTask {
  run?: unknown
  inputs?: readonly string[]
  outputs?: readonly string[]
}

export interface WatchTarget {
  /** The inputs globs, or 'project' for the whole project folder. */
  inputs: readonly string[] | 'project'
  outputs: readonly string[]
  /** For the whole project: the lines of its `.gitignore` (what git ignores is not a source). */
  gitignore?: string
}

/** The union of the plan's inputs; the whole project (less what `.gitignore` ignores) when a task with a `run` has no inputs. */
export function watchTarget(tasks: readonly WatchableTask[], gitignore?: string): WatchTarget {
  const running = tasks.filter((t) => t.run)
  const outputs = [...new Set(tasks.flatMap((t) => t.outputs ?? []))]
  if (running.length === 0 || running.some((t) => !t.inputs || t.inputs.length === 0)) return { inputs: 'project', outputs, gitignore }
  return { inputs: [...new Set(running.flatMap((t) => t.inputs!))], outputs }
}

/** What the project's `.gitignore` ignores (a folder is asked about with a trailing `/`). */
function ignoredByGit(target: WatchTarget): (path: string, folder: boolean) => boolean {
  if (target.inputs !== 'project' || !target.gitignore) return () => false
  const rules = ignore().add(target.gitignore)
  return (path, folder) => path !== '' && rules.ignores(folder ? `${path}/` : path)
}

const HIDDEN_FOLDERS = ['.git', 'node_modules']
const OPTIONS = { dot: true }

/** Whether a path (relative to the root, with `/`) is a change that starts a new run. */
export function changeMatcher(target: WatchTarget): (path: string) => boolean {
  const isOutput = target.outputs.length > 0 ? picomatch([...target.outputs], OPTIONS) : () => false
  const hiddenIn = (path: string) => HIDDEN_FOLDERS.filter((name) => path.split('/').includes(name))
  const ignored = ignoredByGit(target)
  if (target.inputs === 'project') return (path) => hiddenIn(path).length === 0 && !isOutput(path) && !ignored(path, false)
  const positive = target.inputs.filter((g) => !g.startsWith('!'))
  const negative = target.inputs.filter((g) => g.startsWith('!')).map((g) => g.slice(1))
  const matchers = positive.map((glob) => ({ glob, match: picomatch(glob, OPTIONS) }))
  const excluded = negative.length > 0 ? picomatch(negative, OPTIONS) : () => false
  return (path) => {
    if (isOutput(path) || excluded(path)) return false
    const hidden = hiddenIn(path)
    return matchers.some(({ glob, match }) => hidden.every((name) => glob.split('/').includes(name)) && match(path))
  }
}

/**
 * Where changes can come from: the fixed start of each input glob (`src` for `src/**`), or the root
 * (''). A path below another one is left out.
 */
export function watchRoots(target: WatchTarget): string[] {
  if (target.inputs === 'project') return ['']
  const bases = target.inputs.filter((g) => !g.startsWith('!')).map((g) => picomatch.scan(g).base)
  const unique = [...new Set(bases)].sort()
  return unique.filter((base) => !unique.some((other) => other !== base && (other === '' || base.startsWith(`${other}/`))))
}

/**
 * Folders never worth descending into: hidden folders no glob names, outputs, and folders that neither
 * hold nor lead to the start of an input glob (`docs` when the inputs are `src/**` and `conf/app.json`;
 * `conf` is kept, so that `conf/app.json` is seen when `conf` is made, or removed and made again).
 */
export function skipFolder(target: WatchTarget): (path: string) => boolean {
  const named = target.inputs === 'project' ? [] : target.inputs.flatMap((g) => g.split('/'))
  const isOutput = target.outputs.length > 0 ? picomatch([...target.outputs], OPTIONS) : () => false
  const roots = watchRoots(target)
  const relevant = (path: string) =>
    roots.some((root) => root === '' || root === path || root.startsWith(`${path}/`) || path.startsWith(`${root}/`))
  const ignored = ignoredByGit(target)
  return (path) => {
    const name = path.slice(path.lastIndexOf('/') + 1)
    return (HIDDEN_FOLDERS.includes(name) && !named.includes(name)) || isOutput(path) || !relevant(path) || ignored(path, true)
  }
}
