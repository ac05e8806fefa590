/**
 * run.sh -> tasks: one task per function a user can call, leading calls of
 * other tasks as deps, the rest as runts' `$` when nothing can change its
 * meaning, else as a bash script run after the file's own top-level lines.
 */
import { RuntsError } from '../../errors.js'
import { commandArgs, commandName, kids, type Node } from './bash-parser.js'
import { dotenvUse, readsDotenvNote } from './dotenv-loader.js'
import { ARGS, type ConvertOptions, type Dropped, type FileModel, type TaskModel } from './model.js'
import { DISPATCH_WHY, readShellFile, type ShellFile, type ShellFunction } from './shell-file.js'
import { calledNames, isPlain, plainParts, readsTerminal } from './shell-forms.js'
import { DOTENV_WHY, HELPER_FUNCTIONS } from './shell-helpers.js'
import { keptErrexit, prelude, runsTwice } from './shell-prelude.js'
import { restRange, script } from './shell-script.js'
import { changesShell } from './shell-state.js'
import { assignedVariables, callsAny, dotenvVariables, exposedSecrets, exposureNote } from './shell-variables.js'

interface Analysed {
  fn: ShellFunction
  name: string
  deps: string[]
  rest: Node[]
}

/** Converts a bash task file (functions called as `./run.sh TASK ARGS`). */
export async function convertShell(file: string, text: string, options: ConvertOptions = {}): Promise<FileModel> {
  const sh = await readShellFile(file, text)
  const dropped: Dropped[] = [...sh.dropped]
  const droppedFns = new Set<string>()
  const publicFns = new Map<string, ShellFunction>()
  const readsDotenv = new Set<string>()
  const loaders = new Set<string>()
  for (const fn of sh.functions) {
    const name = taskName(fn.name, sh.prefix)
    const statements = fn.body.filter((n) => n.type !== 'comment')
    const dotenv = dotenvUse(statements)
    if (dotenv === 'reads') readsDotenv.add(fn.name)
    if (sh.dispatchers.has(fn.name)) {
      droppedFns.add(fn.name)
      dropped.push({ what: `${fn.name}()`, why: DISPATCH_WHY })
    } else if (dotenv === 'loads') {
      droppedFns.add(fn.name)
      loaders.add(fn.name)
      dropped.push({ what: `${fn.name}()`, why: DOTENV_WHY })
    } else if (name !== undefined && HELPER_FUNCTIONS[name]) {
      droppedFns.add(fn.name)
      dropped.push({ what: `${fn.name}()`, why: HELPER_FUNCTIONS[name]! })
    } else if (name !== undefined && !name.startsWith('_')) {
      publicFns.set(fn.name, fn)
    }
  }
  if (publicFns.size === 0) {
    throw new RuntsError('convert', `${file} has no tasks: no function of it can be called as \`${file} TASK\``, {
      hint: 'a task file defines functions and ends with a dispatch line such as "$@"; the arms of a `case "$1" in` are not converted: make each a function',
    })
  }
  const errexit = sh.options.errexit
  const kept = new Map(sh.functions.filter((f) => !droppedFns.has(f.name)).map((f) => [f.name, f.body]))
  // A function that sets variables (or sources, or cds) for the code after it is called there, not run as a dep.
  const stateful = new Set([...publicFns.keys()].filter((name) => changesShell(kept.get(name)!, kept)))
  const analysed = [...publicFns.values()].map((fn) => analyse(fn, sh.prefix, publicFns, droppedFns, stateful, errexit))
  const shared = sharedFunctions(sh, analysed, publicFns)
  const allFns = new Set(sh.functions.map((f) => f.name))
  const scripts = analysed.filter((a) => !shared.has(a.fn.name)).flatMap(restRange)
  const pre = prelude(sh, shared, droppedFns, scripts)
  const inert = sh.kept.every((k) => k.node.type === 'variable_assignment' && k.node.childForFieldName('name')?.text !== 'PATH')
  const bodies = new Map(sh.functions.map((f) => [f.name, f.body]))
  const assigned = assignedVariables([...sh.kept.map((k) => k.node), ...sh.functions.map((f) => f.node)])
  const notes: string[] = []
  const tasks: TaskModel[] = analysed.map((a) => {
    const task: TaskModel = { name: a.name, description: a.fn.description, deps: a.deps, commands: [], shell: 'sh', comments: [] }
    if (shared.has(a.fn.name)) {
      task.deps = []
      task.commands = [{ parts: [`${a.fn.name} `, ARGS] }]
      task.comments.push(`${a.fn.name} is also called by other functions of ${file}: it is defined in the prelude above.`)
    } else if (a.rest.length === 0) {
      task.commands = []
    } else if (inert && (errexit || a.rest.length === 1) && a.rest.every((n) => isPlain(n, allFns, sh.options.pipefail))) {
      task.shell = '$'
      task.commands = a.rest.map((n) => ({ parts: plainParts(n, text) }))
    } else {
      task.commands = [script(a, text, sh.source)]
    }
    if (readsDotenv.has(a.fn.name)) task.comments.push(readsDotenvNote(a.fn.name))
    // What it reads from .env, once its loader ran (before any task, or called by it), runts checks before anything runs.
    if (options.envNames && (sh.loadsDotenv || callsAny(a.fn.body, kept, loaders))) {
      const env = dotenvVariables(a.rest, kept, options.envNames, assigned)
      if (env.length > 0) task.env = env
    }
    for (const exposure of exposedSecrets(a.rest, kept)) {
      task.comments.push(exposureNote(exposure))
      notes.push(`${a.name}: ${exposureNote(exposure)}`)
    }
    if (readsTerminal(a.rest, bodies)) {
      task.comments.push(
        `It reads the terminal (read, select): runts closes a command's stdin, so it reads end-of-file. Use \`confirm\` for a question, or`,
        'say `interactive: true` (its output then goes straight to the terminal, where runts cannot mask it).',
      )
    }
    return task
  })
  for (const t of tasks) {
    const twice = runsTwice(t.name, tasks)
    if (twice.length === 0) continue
    t.comments.push(`${file} ran ${twice.join(', ')} more than once here; runts runs each task at most once per run.`)
    dropped.push({ what: `the second run of ${twice.join(', ')} in ${t.name}`, why: 'runts runs each task at most once per run' })
  }
  // A prelude that only sets zx's own options needs no helper: runts' `$` runs scripts just so.
  if (pre.prelude === 'set -euo pipefail\n') for (const t of tasks) t.shell = '$'
  const needsHelper = tasks.some((t) => t.shell === 'sh' && t.commands.length > 0)
  for (const fn of readsDotenv) if (!publicFns.has(fn) && !droppedFns.has(fn)) pre.comments.push(readsDotenvNote(fn))
  return {
    from: file,
    constants: [],
    helper: needsHelper ? pre : undefined,
    tasks,
    dropped: needsHelper ? keptErrexit(dropped) : dropped,
    notes,
  }
}

/** The name a user types for a function, or undefined when the dispatcher cannot call it. */
function taskName(fn: string, prefix: string): string | undefined {
  if (prefix === '') return fn
  return fn.startsWith(prefix) ? fn.slice(prefix.length) : undefined
}

/** Splits a task's body into the tasks it calls first (deps) and the rest. */
function analyse(
  fn: ShellFunction,
  prefix: string,
  publicFns: Map<string, ShellFunction>,
  droppedFns: Set<string>,
  stateful: Set<string>,
  errexit: boolean,
): Analysed {
  const statements = fn.body.filter((n) => n.type !== 'comment' && !droppedFns.has(commandName(n) ?? ''))
  const name = taskName(fn.name, prefix)!
  const call = (n: Node) => {
    const callee = commandName(n)
    const dep = callee !== undefined && publicFns.has(callee) && !stateful.has(callee) && callee !== fn.name
    return dep && commandArgs(n).length === 0 ? callee : undefined
  }
  const toName = (callee: string) => taskName(callee, prefix)!
  // `a && b && c` stops at the first failure with or without `set -e`.
  const chain = statements.length === 1 ? andChain(statements[0]!, call) : undefined
  if (chain) return { fn, name, deps: chain.map(toName), rest: [] }
  const deps: string[] = []
  let i = 0
  // Without `set -e`, bash goes on after a failing call: those calls stay calls, so that it still does.
  while (errexit && i < statements.length && call(statements[i]!)) deps.push(toName(call(statements[i++]!)!))
  return { fn, name, deps, rest: statements.slice(i) }
}

function andChain(node: Node, call: (n: Node) => string | undefined): string[] | undefined {
  if (node.type !== 'list') return undefined
  const operators = node.children.filter((c) => c !== null && !c.isNamed).map((c) => c!.type)
  if (!operators.every((op) => op === '&&')) return undefined
  const parts = kids(node).flatMap((k) => (k.type === 'list' ? (andChain(k, call) ?? [undefined]) : [call(k)]))
  return parts.every((p): p is string => p !== undefined) ? parts : undefined
}

/** Public functions that bash code kept as bash calls: they are defined in the prelude, with every function they call. */
function sharedFunctions(sh: ShellFile, analysed: Analysed[], publicFns: Map<string, ShellFunction>): Set<string> {
  const shared = new Set<string>()
  const visit = (nodes: Node[]) => {
    for (const callee of calledNames(nodes)) {
      const fn = publicFns.get(callee)
      if (!fn || shared.has(callee)) continue
      shared.add(callee)
      visit(fn.body)
    }
  }
  for (const a of analysed) visit(a.rest)
  for (const fn of sh.functions) if (!publicFns.has(fn.name)) visit(fn.body)
  visit(sh.kept.map((k) => k.node))
  return shared
}
