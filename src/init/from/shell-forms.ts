/**
 * How a piece of bash can be written in the tasks file: as runts' own `$`
 * (plain commands that no shell option or earlier line can change), or as a
 * script for the file's `sh` helper. Decided on the syntax tree, never on text.
 */
import { commandName, descendants, kids, type Node } from './bash-parser.js'
import { ARGS, type Part } from './model.js'

/** Node kinds whose meaning does not depend on variables, functions or shell options. */
const PLAIN = new Set([
  'command',
  'command_name',
  'word',
  'raw_string',
  'ansi_c_string',
  'string_content',
  'concatenation',
  'number',
  'list',
  'file_redirect',
  'file_descriptor',
  'redirected_statement',
  'comment',
])

/** Is this `"$@"` or `$@`, all the task's arguments as separate words? */
export function isAllArgs(node: Node): boolean {
  const inner = node.type === 'string' && node.namedChildCount === 1 ? kids(node)[0]! : node
  return inner.type === 'simple_expansion' && inner.text === '$@'
}

/**
 * Can this statement run under runts' `$` unchanged: no expansion but `"$@"`,
 * no call to one of `functions`, no pipeline unless the original had pipefail?
 */
export function isPlain(statement: Node, functions: Set<string>, pipefail: boolean): boolean {
  if (isAllArgs(statement)) return true
  if (statement.type === 'string') return kids(statement).every((k) => k.type === 'string_content')
  if (!(PLAIN.has(statement.type) || (statement.type === 'pipeline' && pipefail))) return false
  const name = commandName(statement)
  if (name !== undefined && (functions.has(name) || name.includes('='))) return false
  return kids(statement).every((child) => isPlain(child, functions, pipefail))
}

/** A plain statement's text, with `"$@"` and `$@` as the task's arguments. */
export function plainParts(statement: Node, source: string): Part[] {
  const parts: Part[] = []
  let at = statement.startIndex
  for (const node of descendants(statement)) {
    if (!isAllArgs(node) || node.startIndex < at) continue
    parts.push(source.slice(at, node.startIndex), ARGS)
    at = node.endIndex
  }
  parts.push(source.slice(at, statement.endIndex))
  return parts.filter((p) => p !== '')
}

/** Does this code read the positional parameters (`$1`, `$@`, `$#`, `shift`…), so that it needs the task's arguments? */
export function usesArgs(nodes: Node[]): boolean {
  for (const top of nodes) {
    for (const node of descendants(top)) {
      if (node.type === 'special_variable_name' && ['@', '*', '#'].includes(node.text)) return true
      // `$0` is the script, not an argument.
      if (node.type === 'variable_name' && /^[1-9]$/.test(node.text) && node.parent?.type !== 'variable_assignment') return true
      if (commandName(node) === 'shift' || commandName(node) === 'getopts') return true
      // The grammar leaves `$1`, `$@` and `$#` in a here-document as text (only `${…}` is parsed there).
      if (node.type === 'heredoc_body' && HEREDOC_ARGS.test(node.text)) return true
    }
  }
  return false
}

/** `$1`, `${2}`, `${#1}`, `$@`, `$*`, `$#` in a here-document's text. */
const HEREDOC_ARGS = /\$(?:\{#?)?[1-9@*#]/

/** Does this code only make sense inside a function (`local`, `return`, `$FUNCNAME`)? */
export function needsFunction(nodes: Node[]): boolean {
  for (const top of nodes) {
    for (const node of descendants(top)) {
      if (node.type === 'declaration_command' && node.firstChild?.text === 'local') return true
      if (commandName(node) === 'return') return true
      if (node.type === 'variable_name' && node.text === 'FUNCNAME') return true
    }
  }
  return false
}

/** Names of the commands this code runs (to find the functions it calls). */
export function calledNames(nodes: Node[]): Set<string> {
  const names = new Set<string>()
  for (const top of nodes) {
    for (const node of descendants(top)) {
      const name = commandName(node)
      if (name !== undefined) names.add(name)
    }
  }
  return names
}

/** Does this code, or a function of `functions` it calls, read the terminal (`read` or `select` with no input redirected)? */
export function readsTerminal(nodes: Node[], functions: Map<string, Node[]>, seen = new Set<string>()): boolean {
  for (const top of nodes) {
    for (const node of descendants(top)) {
      const name = commandName(node)
      if ((name === 'read' || (node.type === 'for_statement' && node.child(0)?.type === 'select')) && !inputGiven(node, top)) return true
      if (name !== undefined && functions.has(name) && !seen.has(name)) {
        seen.add(name)
        if (readsTerminal(functions.get(name)!, functions, seen)) return true
      }
    }
  }
  return false
}

/** Is `node`'s stdin a file, a here-document or a pipe (up to `top`)? */
function inputGiven(node: Node, top: Node): boolean {
  for (let at: Node | null = node; at && at.id !== top.parent?.id; at = at.parent) {
    const parent = at.parent
    if (parent?.type === 'pipeline' && parent.namedChildren[0]?.id !== at.id) return true
    if (at.childrenForFieldName('redirect').some((r) => r !== null && redirectsInput(r))) return true
  }
  return false
}

function redirectsInput(redirect: Node): boolean {
  if (redirect.type === 'herestring_redirect' || redirect.type === 'heredoc_redirect') return true
  const descriptor = redirect.childForFieldName('descriptor')?.text ?? '0'
  return redirect.type === 'file_redirect' && descriptor === '0' && redirect.children.some((c) => c !== null && /^<[&>]?$/.test(c.type))
}
