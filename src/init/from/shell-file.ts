/**
 * A run.sh read into its parts: functions (with their descriptions), the
 * top-level lines that stay, the helpers runts does itself (dropped), the
 * shell options in force when a task runs, and the dispatcher's name prefix.
 */
import { kids, type Node, parseBash } from './bash-parser.js'
import { dotenvUse } from './dotenv-loader.js'
import type { Dropped } from './model.js'
import { scriptPathSource } from './script-path.js'
import { readFunction } from './shell-docs.js'
import { calledNames, usesArgs } from './shell-forms.js'
import {
  applySet,
  argVariable,
  DOTENV_WHY,
  dispatchPrefix,
  isCdToScriptDir,
  type ShellOptions,
  scriptDirVariable,
} from './shell-helpers.js'

/** Why the dispatch line is left out. */
export const DISPATCH_WHY = '`run TASK ARGS` runs the task named on its command line'

/** Why `set -e` is left out when every task runs with runts' `$` (with the prelude, it stays in the prelude's first line). */
export const ERREXIT_WHY = "runts' `$` stops a task at its first failing command"

export interface ShellFunction {
  /** As written in the file (`task:build`). */
  name: string
  node: Node
  /** The body's statements and comments. */
  body: Node[]
  description?: string
}

export interface ShellFile {
  text: string
  functions: ShellFunction[]
  /** Top-level lines that stay, in order, each as its (possibly rewritten) text. */
  kept: Array<{ node: Node; text: string }>
  options: ShellOptions
  /** The file's text from `start` to `end`, with `$0` and `${BASH_SOURCE[0]}` naming the original file. */
  source: (start: number, end: number) => string
  /** The dispatcher's prefix of task function names (`task:`), or ''. */
  prefix: string
  /** A top-level line loads `.env` before any task runs. */
  loadsDotenv: boolean
  /** Functions that a dispatch line called with the script's arguments (`main "$@"`): the dispatcher's, not tasks. */
  dispatchers: Set<string>
  dropped: Dropped[]
}

/** Reads a bash task file's top level. */
export async function readShellFile(file: string, text: string): Promise<ShellFile> {
  const root = await parseBash(text, file)
  const top = kids(root)
  const options = { errexit: false, nounset: false, pipefail: false, xtrace: false, allexport: false }
  const source = scriptPathSource(root, text, file)
  const loadsEnv = top.some((node) => node.type !== 'function_definition' && dotenvUse(node) === 'loads')
  const result: ShellFile = {
    text,
    source,
    functions: [],
    kept: [],
    options,
    prefix: '',
    loadsDotenv: loadsEnv,
    dispatchers: new Set(),
    dropped: [],
  }
  const dirVariables = new Set<string>()
  // Variables that hold the task's name (`cmd=$1`, `TASK=${1:-help}`), for a dispatch line that calls through one.
  const argVariables = new Set<string>()
  const drop = (node: Node, why: string) => result.dropped.push({ what: oneLine(node.text), why })
  for (const [i, node] of top.entries()) {
    if (node.type === 'comment') continue
    if (node.type === 'function_definition') {
      result.functions.push(readFunction(node, top[i - 1], text))
      continue
    }
    const before = { ...options }
    const dispatch = dispatchPrefix(node, argVariables)
    const dirVariable = scriptDirVariable(node)
    if (dispatch !== undefined) {
      result.prefix = dispatch.prefix
      const why = [DISPATCH_WHY]
      if (/^time\b/.test(node.text)) why.push("prints each task's time in its summary")
      if (dispatch.unquoted) why.push('and passes each argument as given, where the unquoted `$@` split them at spaces')
      drop(node, why.join(', '))
    } else if (usesArgs([node])) {
      // It reads the script's arguments (`TASK=$1; shift; "$TASK" "$@"`, `main "$@"`): it dispatches.
      const held = argVariable(node)
      if (held !== undefined) argVariables.add(held)
      for (const name of calledNames([node])) if (result.functions.some((f) => f.name === name)) result.dispatchers.add(name)
      drop(node, DISPATCH_WHY)
    } else if (applySet(node, options)) {
      const why: string[] = []
      if (options.xtrace !== before.xtrace) why.push('`run -x TASK` prints each command before it runs')
      if (options.errexit && !before.errexit) why.push(ERREXIT_WHY)
      const same = options.errexit === before.errexit && options.nounset === before.nounset && options.pipefail === before.pipefail
      if (why.length > 0) drop(node, why.join('; '))
      // `set -a` around `source .env` is part of loading it; other option changes are in the prelude's first line.
      else if (same && !(options.allexport !== before.allexport && loadsEnv))
        result.kept.push({ node, text: source(node.startIndex, node.endIndex) })
    } else if (dotenvUse(node) === 'loads') {
      drop(node, DOTENV_WHY)
    } else if (isCdToScriptDir(node, dirVariables)) {
      drop(node, 'runts runs commands in the project root, the folder of tasks.config.ts')
    } else if (node.type === 'variable_assignment' && node.childForFieldName('name')?.text === 'TIMEFORMAT') {
      drop(node, "runts prints each task's time in its summary")
    } else if (dirVariable !== undefined) {
      dirVariables.add(dirVariable)
      const value = (
        node.type === 'variable_assignment' ? node : kids(node).find((k) => k.type === 'variable_assignment')
      )!.childForFieldName('value')!
      const rewritten = `${source(node.startIndex, value.startIndex)}"$PWD"${source(value.endIndex, node.endIndex)}`
      result.kept.push({ node, text: rewritten })
      drop(node, `${dirVariable} is now "$PWD" (the prelude sets it): the project root, where runts runs commands`)
    } else {
      result.kept.push({ node, text: source(node.startIndex, node.endIndex) })
    }
  }
  // A dispatcher function (`main "$@"`) that adds a prefix inside (`cmd=$1; shift; run:"$cmd" "$@"`).
  if (result.prefix === '') result.prefix = dispatcherPrefix(result) ?? ''
  return result
}

/** The prefix the dispatch line inside a dispatcher function adds to the task's name, if any. */
function dispatcherPrefix(sh: ShellFile): string | undefined {
  for (const fn of sh.functions.filter((f) => sh.dispatchers.has(f.name))) {
    const held = new Set<string>()
    for (const statement of fn.body) {
      const dispatch = dispatchPrefix(statement, held)
      if (dispatch?.prefix) return dispatch.prefix
      const name = argVariable(statement)
      if (name !== undefined) held.add(name)
    }
  }
  return undefined
}

function oneLine(text: string): string {
  const lines = text.trim().split('\n')
  return lines.length > 1 ? `${lines[0]} …` : lines[0]!
}
