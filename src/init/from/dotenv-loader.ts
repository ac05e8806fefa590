/**
 * A `.env` loader told by what it does, on the syntax tree: it reads `.env`
 * into the shell (`source .env`, `set -a; . .env`, `export $(grep … .env)`,
 * `while read -r line; do export "$line"; done < .env`, a loop over `.env`
 * and `.env.local`) and does nothing else. runts loads `.env` itself, so such
 * code is left out; code that reads `.env` and does more, or reads it in a
 * way runts cannot follow, stays, with a word that it may no longer be needed.
 */
import { commandName, descendants, kids, type Node } from './bash-parser.js'

/**
 * `loads`: it only loads `.env` (or `.env.local`) into the environment; `reads`: it reads `.env`
 * too, but does more, or in a way runts cannot tell; undefined: it does not read it.
 */
export type DotenvUse = 'loads' | 'reads'

/** Said above a function that reads `.env` but is not only a loader runts can replace. */
export function readsDotenvNote(fn: string): string {
  return `${fn} reads .env, which runts loads itself before any task runs (and masks its secrets). runts cannot tell whether that is all it does, so it stays: what only loads .env can go.`
}

const ENV_FILE = /(^|\/)\.env(\.local)?$/

/** Commands a loader is made of: reading the file, setting variables, testing that the file is there. */
const LOADER_COMMANDS = new Set(['source', '.', 'set', 'read', 'cat', 'grep', 'sed', 'awk', 'tr', 'cut', 'xargs', 'envsubst'])
const FLOW_COMMANDS = new Set(['eval', 'export', 'test', 'true', ':', 'continue', 'break', 'return', 'unset'])
/** Commands that print what they read, unless their output goes into a substitution or a loop. */
const FILTERS = new Set(['cat', 'grep', 'sed', 'awk', 'tr', 'cut', 'xargs', 'envsubst'])

/** What these statements (a top-level line, or a function's body) do with `.env`. */
export function dotenvUse(nodes: Node | Node[]): DotenvUse | undefined {
  const roles = new Set<Role>()
  let onlyLoading = true
  for (const top of Array.isArray(nodes) ? nodes : [nodes]) {
    for (const node of descendants(top)) {
      if (node.type === 'function_definition' || node.type === 'subshell') onlyLoading = false
      if (node.type === 'command') {
        const name = commandName(node)
        if (name === undefined || !(LOADER_COMMANDS.has(name) || FLOW_COMMANDS.has(name))) onlyLoading = false
      }
      if ((node.type === 'word' || node.type === 'string_content') && ENV_FILE.test(node.text)) roles.add(role(node, top))
    }
  }
  if (!roles.has('loads') && !roles.has('kept')) return undefined
  return onlyLoading && roles.has('loads') && !roles.has('other') && !roles.has('kept') ? 'loads' : 'reads'
}

/** `loads`: read into the shell; `tests`: `[ -f .env ]`; `kept`: held in a variable; `other`: printed, written, copied. */
type Role = 'loads' | 'tests' | 'kept' | 'other'

/** What the code does with a word naming `.env`, from the nearest construct around it. */
function role(word: Node, top: Node): Role {
  for (let at = word.parent; at && at.id !== top.parent?.id; at = at.parent) {
    if (at.type === 'file_redirect') {
      const input = at.children.some((c) => c !== null && c.type === '<')
      const target = at.parent?.childForFieldName('body')
      return input && target && isLoop(target) ? 'loads' : 'other'
    }
    if (at.type === 'test_command') return 'tests'
    if (at.type === 'variable_assignment') return 'kept'
    if (at.type === 'for_statement') return sources(at) ? 'loads' : 'other'
    if (at.type === 'command') {
      const name = commandName(at)
      if (name === 'source' || name === '.') return 'loads'
      if (name === 'test') return 'tests'
      return name !== undefined && FILTERS.has(name) && feedsTheShell(at, top) ? 'loads' : 'other'
    }
  }
  return 'other'
}

function isLoop(node: Node): boolean {
  return node.type === 'while_statement' || node.type === 'for_statement' || commandName(node) === 'read'
}

function sources(node: Node): boolean {
  return [...descendants(node)].some((n) => commandName(n) === 'source' || commandName(n) === '.')
}

/** Does this command's output go into the shell (`export $(cat .env)`, `< <(grep … .env)`, `cat .env | while read`)? */
function feedsTheShell(command: Node, top: Node): boolean {
  for (let at: Node | null = command; at && at.id !== top.parent?.id; at = at.parent) {
    if (at.type === 'command_substitution' || at.type === 'process_substitution') return true
    const parent = at.parent
    const last = parent?.type === 'pipeline' ? kids(parent).at(-1) : undefined
    if (last && last.id !== at.id && (isLoop(last) || sources(last))) return true
  }
  return false
}
