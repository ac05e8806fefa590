/**
 * What a run would do with each task of a plan, for `run --why`: each task's
 * `verdict` (verdict.ts, the one the runner's gate acts on), taken on the
 * files as the tasks that run before it will leave them. A task that is up to
 * date leaves them as they are; one that restores lays its entry's files over
 * them; one that runs writes what cannot be known here, so that a task after
 * it that reads what it writes `may run`, and one whose outputs it may change
 * may restore them. A task that runs and declares no `outputs` is taken to
 * leave other tasks' files alone, except output folders its `run` (or its
 * description) names, as `rm -rf dist` does.
 */
import type { TaskNode } from '../plan/graph.js'
import { FilesAhead, more } from './ahead.js'
import { describeChanges, RESTORES } from './explain.js'
import { outputSetOf } from './inputs/task-sets.js'
import type { OutputFile } from './store/entry-format.js'
import { inputFiles, type Verdict, type VerdictOptions } from './verdict.js'

/** One line of `run --why`: a task, and what a run would do with it (`skips: up to date`, …). */
export type ForecastLine = [task: string, text: string]

/** What decides for one task (the cache's `verdict`). */
export type Decide = (task: TaskNode, args: readonly string[], options: VerdictOptions) => Promise<Verdict>

/** What a task leaves for those after it: the files its restore writes (none when up to date), or unknown files (it runs). */
type Left = { restores: readonly OutputFile[] } | 'runs'

/** A line per task of `order` (a plan's, in the order a one-job run starts them); `args` are the command line's, for `takesArgs`. */
export async function forecast(
  order: readonly TaskNode[],
  takesArgs: ReadonlySet<TaskNode>,
  args: readonly string[],
  decide: Decide,
): Promise<ForecastLine[]> {
  const left = new Map<TaskNode, Left>()
  const lines: ForecastLine[] = []
  for (const [i, node] of order.entries()) {
    if (!node.run) {
      lines.push([node.name, 'runs its deps only'])
      continue
    }
    // Every task a one-job run starts before this one has ended when it starts.
    const ahead = new FilesAhead()
    const running: TaskNode[] = []
    for (const before of order.slice(0, i)) {
      const leaves = left.get(before)
      if (leaves === 'runs') running.push(before)
      else if (leaves) ahead.restore(before.name, leaves.restores)
    }
    const decided = await decide(node, takesArgs.has(node) ? args : [], { ahead })
    const unsure = readsWhatIsWritten(decided, running) ?? (decided.action === 'skip' ? removesTheCache(running) : undefined)
    left.set(node, decided.action === 'skip' && !unsure ? { restores: decided.restores } : 'runs')
    if (unsure) lines.push([node.name, `may run: ${unsure}`])
    else if (decided.action === 'run') lines.push([node.name, `runs: ${decided.reason}`])
    else {
      const restoredFirst = ahead.describe(inputFiles(decided))
      const changer = decided.status === 'up-to-date' ? changesOutputs(decided.entry.meta.outputs, running) : undefined
      const how = changer ? `${decided.reason}, or ${RESTORES} if ${changer}` : decided.reason
      lines.push([node.name, `skips: ${how}${restoredFirst ? ` once ${restoredFirst}` : ''}`])
    }
  }
  return lines
}

/**
 * Why the verdict cannot be trusted, when tasks that run first write files it reads: for a task that
 * would skip, any of its inputs (`codegen runs first and writes src/gen.py`); for one that would run, when
 * the only changes are files they write (`gen/all.txt removed, but gen runs first and writes gen/**`).
 */
function readsWhatIsWritten(decided: Verdict, running: readonly TaskNode[]): string | undefined {
  const writers = running.filter((task) => task.outputs).map((task) => ({ task, writes: outputSetOf(task) }))
  if (writers.length === 0) return undefined
  if (decided.action === 'skip') {
    const inputs = inputFiles(decided)
    for (const { task, writes } of writers) {
      const files = inputs.filter((file) => writes.matches(file))
      if (files.length > 0) return `${task.name} runs first and writes ${files[0]}${more(files)}`
    }
    return undefined
  }
  const changes = decided.changes
  if (!changes || changes.files.length === 0 || changes.others.length > 0) return undefined
  if (!changes.files.every((file) => writers.some(({ writes }) => writes.matches(file)))) return undefined
  const which = writers.filter(({ writes }) => changes.files.some((file) => writes.matches(file)))
  return `${describeChanges(changes)}, but ${which.map(({ task }) => `${task.name} runs first and writes ${task.outputs!.join(', ')}`).join(' and ')}`
}

/**
 * A task that runs first and may change these outputs of an up-to-date task (so that the run restores
 * them): one whose declared outputs name one of them, or one without declared outputs whose `run` or
 * description names the folder of one (`rm -rf dist`). `clean (which runs first) changes dist`.
 */
function changesOutputs(outputs: readonly OutputFile[], running: readonly TaskNode[]): string | undefined {
  if (outputs.length === 0) return undefined
  const folders = new Set<string>()
  for (const { file } of outputs) for (let at = file.indexOf('/'); at > 0; at = file.indexOf('/', at + 1)) folders.add(file.slice(0, at))
  for (const task of running) {
    if (task.outputs) {
      const writes = outputSetOf(task)
      const file = outputs.find((output) => writes.matches(output.file))?.file
      if (file) return `${task.name} (which runs first) changes ${file}`
      continue
    }
    const text = `${task.description ?? ''}\n${task.run ? String(task.run) : ''}`
    const named = [...folders, ...outputs.map(({ file }) => file)].find((name) => names(text, name))
    if (named) return `${task.name} (which runs first) changes ${named}`
  }
  return undefined
}

/** The folders the cache lives in: a task that runs first and names one (`rm -rf node_modules/.cache/runts`) may empty it. */
const CACHE_FOLDERS = ['node_modules/.cache/runts', 'node_modules/.cache', 'node_modules']

/** Why a task that would skip may run: a task that runs first, declaring no outputs, names the cache's folder. */
function removesTheCache(running: readonly TaskNode[]): string | undefined {
  for (const task of running) {
    if (task.outputs) continue
    const text = `${task.description ?? ''}\n${task.run ? String(task.run) : ''}`
    const folder = CACHE_FOLDERS.find((name) => names(text, name))
    if (folder) return `${task.name} runs first and may remove the cache (${folder})`
  }
  return undefined
}

/** Whether `text` names the path `name` as a word (`rm -rf dist`, `dist/`), not inside another (`distance`, `src/dist`). */
function names(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    // `./dist` names it too.
    const start = text.startsWith('./', at - 2) ? at - 2 : at
    const before = start === 0 ? '' : text[start - 1]!
    const after = text[at + name.length] ?? ''
    if (!/[\w./-]/.test(before) && !/[\w.-]/.test(after)) return true
  }
  return false
}
