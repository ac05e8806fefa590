/**
 * Functions whose effect is on the shell that runs them: they set or export
 * variables, source a file, change folder or options. A task that calls one
 * first needs it in its own shell (as bash ran it), not as a dep that runs in
 * another process and whose variables the task would never see.
 */
import { commandName, kids, type Node } from './bash-parser.js'

/** Builtins that change the shell they run in. */
const STATEFUL = new Set([
  'source',
  '.',
  'cd',
  'pushd',
  'popd',
  'set',
  'shopt',
  'alias',
  'unalias',
  'umask',
  'trap',
  'ulimit',
  'eval',
  'unset',
  'read',
  'mapfile',
  'readarray',
  'hash',
  'exec',
])

/** Code that bash runs in a subshell, whose changes end with it. */
const SUBSHELL = new Set(['subshell', 'command_substitution', 'process_substitution', 'pipeline'])

/**
 * Does this code change the shell it runs in (a variable set without `local`, an export, `source`, `cd`,
 * `set`…), itself or through a function of `functions` it calls?
 */
export function changesShell(body: Node[], functions: Map<string, Node[]>, seen = new Set<string>()): boolean {
  return body.some((node) => changes(node, functions, seen))
}

function changes(node: Node, functions: Map<string, Node[]>, seen: Set<string>): boolean {
  if (SUBSHELL.has(node.type) || node.type === 'function_definition') return false
  if (node.type === 'declaration_command') return node.firstChild?.text !== 'local'
  // `NAME=value` alone sets it in the shell; `NAME=value cmd` only in cmd's environment.
  if (node.type === 'variable_assignment' && node.parent?.type !== 'command') return true
  const name = commandName(node)
  if (name !== undefined && STATEFUL.has(name)) return true
  if (name !== undefined && functions.has(name) && !seen.has(name)) {
    seen.add(name)
    if (changesShell(functions.get(name)!, functions, seen)) return true
  }
  return kids(node).some((child) => changes(child, functions, seen))
}
