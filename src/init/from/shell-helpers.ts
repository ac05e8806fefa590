/**
 * The habits of a run.sh that runts does itself: its dispatch line, `set`
 * options, `.env` loading, `cd` to the script's folder, `help`. Each is
 * recognised on the syntax tree, and said what replaces it.
 */
import { commandArgs, commandName, descendants, kids, type Node } from './bash-parser.js'

export interface ShellOptions {
  errexit: boolean
  nounset: boolean
  pipefail: boolean
}

/** Helper functions runts replaces, by name, with what replaces them. */
export const HELPER_FUNCTIONS: Record<string, string> = Object.assign(Object.create(null), {
  help: '`run help` (or `run`) lists the tasks with their descriptions',
  usage: '`run` lists the tasks with their descriptions',
  list: '`run --list` lists the tasks',
  default: '`run` with no task name lists the tasks',
  edit: 'open tasks.config.ts in your editor',
}) // no prototype: a task named `constructor` is a task

export const DOTENV_WHY = 'runts loads .env (then .env.local) before any task runs, and masks its secrets'

/** `set -e`, `set -euo pipefail`, `set +x`…: applies the flags to `options`; false when this is not such a `set`. */
export function applySet(node: Node, options: ShellOptions & { xtrace: boolean; allexport: boolean }): boolean {
  if (commandName(node) !== 'set') return false
  const args = commandArgs(node).map((a) => a.text)
  if (args.length === 0 || !args.every((a) => /^[-+][euxaEoT]+$/.test(a) || /^[a-z]+$/.test(a))) return false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (!/^[-+]/.test(arg)) continue
    const on = arg[0] === '-'
    for (const flag of arg.slice(1)) {
      if (flag === 'e') options.errexit = on
      if (flag === 'u') options.nounset = on
      if (flag === 'x') options.xtrace = on
      if (flag === 'a') options.allexport = on
      if (flag === 'o') {
        const name = args[++i]
        if (name === 'pipefail') options.pipefail = on
        if (name === 'errexit') options.errexit = on
        if (name === 'nounset') options.nounset = on
        if (name === 'xtrace') options.xtrace = on
        if (name === 'allexport') options.allexport = on
      }
    }
  }
  return true
}

/** Does this word name the script itself (`$0`, `${BASH_SOURCE[0]}`)? */
function namesScript(node: Node): boolean {
  return [...descendants(node)].some(
    (n) => (n.type === 'simple_expansion' || n.type === 'expansion') && /^\$\{?(0|BASH_SOURCE(\[0\])?)\}?$/.test(n.text),
  )
}

/** `$(cd "$(dirname "$0")" && pwd)`, `"$(dirname "${BASH_SOURCE[0]}")"`: the script's folder (not `$(dirname "$0")/..`). */
export function isScriptDir(node: Node): boolean {
  const dirname = [...descendants(node)].some((n) => commandName(n) === 'dirname' || commandName(n) === 'realpath')
  return dirname && namesScript(node) && !namesPath(node)
}

/** Does a literal path (`/..`, `/bin`) follow the folder, outside redirections (`>/dev/null`)? */
function namesPath(node: Node): boolean {
  if (node.type === 'file_redirect') return false
  if ((node.type === 'word' || node.type === 'string_content') && /\/|^\.\.?$/.test(node.text)) return true
  return kids(node).some(namesPath)
}

/** `THIS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)`: the variable's name, when the statement is that. */
export function scriptDirVariable(node: Node): string | undefined {
  return assignedName(node, isScriptDir)
}

/** The name a statement assigns (`X=…`, `local X=…`, `export X=…`) when its value is what `valueIs` looks for. */
function assignedName(node: Node, valueIs: (value: Node) => boolean): string | undefined {
  const assignment =
    node.type === 'variable_assignment'
      ? node
      : node.type === 'declaration_command'
        ? kids(node).find((k) => k.type === 'variable_assignment')
        : undefined
  const value = assignment?.childForFieldName('value')
  if (!assignment || !value || !valueIs(value)) return undefined
  return assignment.childForFieldName('name')?.text
}

/** `cd "$(dirname "$0")"` or `cd "$THIS_DIR"`: going to the script's folder. */
export function isCdToScriptDir(node: Node, dirVariables: Set<string>): boolean {
  if (commandName(node) !== 'cd') return false
  const [target, ...rest] = commandArgs(node)
  if (!target || rest.length > 0) return false
  const variable = /^"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?$/.exec(target.text)?.[1]
  return isScriptDir(target) || (variable !== undefined && dirVariables.has(variable))
}

/**
 * The dispatch line: `"$@"`, `task:"${@:-help}"`, `time ${@:-default}`, `"run:$1" "${@:2}"`, or
 * `run:"$cmd" "$@"` through a variable of `argVariables` that holds the first argument.
 * Returns the prefix its function names carry (`task:`, `run:`), and whether it left `$@` unquoted
 * (bash then split the arguments at spaces), or undefined when this is not one.
 */
export function dispatchPrefix(
  node: Node,
  argVariables: ReadonlySet<string> = new Set(),
): { prefix: string; unquoted: boolean } | undefined {
  for (const n of descendants(node)) {
    if (n.type !== 'command') continue
    const name = n.childForFieldName('name')
    const target = commandName(n) === 'time' ? commandArgs(n)[0] : name
    if (!target || !readsArgs(target, argVariables)) continue
    const unquoted = [...descendants(n)].some((d) => isAllArgsExpansion(d) && d.parent?.type !== 'string')
    // The literal text before the expansion, unquoted: `task:"${@:-help}"` -> `task:`.
    return { prefix: target.text.slice(0, target.text.indexOf('$')).replace(/["']/g, ''), unquoted }
  }
  return undefined
}

function isAllArgsExpansion(node: Node): boolean {
  return (
    (node.type === 'expansion' || node.type === 'simple_expansion') &&
    kids(node)[0]?.type === 'special_variable_name' &&
    /^\$\{?[@*]/.test(node.text)
  )
}

function readsArgs(node: Node, argVariables: ReadonlySet<string> = new Set()): boolean {
  return [...descendants(node)].some(
    (n) =>
      (n.type === 'special_variable_name' && (n.text === '@' || n.text === '*')) ||
      (n.type === 'variable_name' && (n.text === '1' || (argVariables.has(n.text) && n.parent?.type !== 'variable_assignment'))),
  )
}

/** `cmd=$1`, `TASK="${1:-help}"`, `local cmd=$1`: the name of a variable that takes the first argument (the task's name). */
export function argVariable(node: Node): string | undefined {
  return assignedName(node, (value) => [...descendants(value)].some((n) => n.type === 'variable_name' && n.text === '1'))
}
