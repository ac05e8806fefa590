/**
 * What a task's bash does with variables: which it reads (and whether it
 * needs them set), which the script sets itself, and which secret ones it
 * puts on a command line, where `ps` shows them to every user of the machine.
 * Read on the syntax tree, following the script's own functions.
 */
import { isSecretName } from '../../env/secrets.js'
import { commandArgs, commandName, descendants, kids, type Node } from './bash-parser.js'

/** `${X:-d}`, `${X-d}`, `${X:=d}`, `${X:+y}`, `${#X}`: these read X whether it is set or not. */
const OPTIONAL = new Set([':-', '-', ':=', '=', ':+', '+', '#'])

/** Variables `nodes` (and the functions of `functions` they call) read, in order; `required`: read as a plain `$X`. */
export function readVariables(nodes: Node[], functions: Map<string, Node[]>): Map<string, boolean> {
  const read = new Map<string, boolean>()
  walk(nodes, functions, new Set(), (node) => {
    if (node.type !== 'variable_name' || !['simple_expansion', 'expansion'].includes(node.parent?.type ?? '')) return
    const operators = node.parent!.children.filter((c) => c !== null && !c.isNamed).map((c) => c!.type)
    const tested = ancestors(node).some((a) => a.type === 'test_command' || commandName(a) === 'test' || commandName(a) === '[')
    const required = !tested && !operators.some((op) => OPTIONAL.has(op))
    read.set(node.text, (read.get(node.text) ?? false) || required)
  })
  return read
}

/** Variables the script gives a value itself (`X=…`, `local X`, `read X`, `for X in`), anywhere in it. */
export function assignedVariables(nodes: Node[]): Set<string> {
  const names = new Set<string>()
  for (const top of nodes) {
    for (const node of descendants(top)) {
      if (node.type === 'variable_assignment') names.add(node.childForFieldName('name')?.text ?? '')
      if (node.type === 'declaration_command') for (const k of kids(node)) if (k.type === 'variable_name') names.add(k.text)
      if (node.type === 'for_statement') names.add(node.childForFieldName('variable')?.text ?? '')
      const name = commandName(node)
      if (name === 'read' || name === 'mapfile' || name === 'readarray' || name === 'getopts') {
        for (const arg of commandArgs(node)) if (/^[A-Za-z_]\w*$/.test(arg.text)) names.add(arg.text)
      }
    }
  }
  return names
}

/**
 * The variables of `envNames` (the names the project's .env files give) that this code reads plainly (a
 * `${X:-default}` or a `[ -n "$X" ]` says it may be unset) and the script never sets itself: what the
 * task needs from `.env`, for its `env: [...]`.
 */
export function dotenvVariables(
  nodes: Node[],
  functions: Map<string, Node[]>,
  envNames: ReadonlySet<string>,
  assigned: Set<string>,
): string[] {
  return [...readVariables(nodes, functions)]
    .filter(([name, required]) => required && envNames.has(name) && !assigned.has(name))
    .map(([name]) => name)
}

/** Does this code call one of `names`, itself or through the functions of `functions` it calls? */
export function callsAny(nodes: Node[], functions: Map<string, Node[]>, names: ReadonlySet<string>): boolean {
  let found = false
  walk(nodes, functions, new Set(), (node) => {
    const name = commandName(node)
    if (name !== undefined && names.has(name)) found = true
  })
  return found
}

/** Builtins: their arguments are no process's command line (`echo "$TOKEN" | docker login --password-stdin` shows nothing). */
const BUILTINS = new Set(
  `echo printf test [ [[ export local declare typeset readonly read set unset source . cd eval : true false return exit shift let
  type builtin alias unalias pushd popd dirs wait trap umask ulimit hash mapfile readarray getopts printf`.split(/\s+/),
)

export interface Exposure {
  /** The secret variable, as the script names it where the value comes from. */
  variable: string
  /** The command whose command line holds it. */
  command: string
}

/**
 * Secret variables (by runts' rule for names) that reach a command's arguments, where `ps` and
 * /proc/PID/cmdline show them: `twine upload -p "$PYPI_TOKEN"`, or through a function's arguments and
 * the local variables it gives them (`_upload "$PYPI_TOKEN"` … `local token=$1` … `twine … -p "$token"`).
 */
export function exposedSecrets(nodes: Node[], functions: Map<string, Node[]>): Exposure[] {
  const found = new Map<string, Exposure>()
  const visit = (body: Node[], carried: Map<string, string>, depth: number) => {
    const tainted = new Map(carried)
    const source = (n: Node): string | undefined => {
      for (const d of descendants(n)) {
        if (d.type !== 'variable_name' && d.type !== 'special_variable_name') continue
        if (!['simple_expansion', 'expansion'].includes(d.parent?.type ?? '')) continue
        if (tainted.has(d.text)) return tainted.get(d.text)
        if (d.type === 'variable_name' && isSecretName(d.text) && !/^\d+$/.test(d.text)) return d.text
        if ((d.text === '@' || d.text === '*') && [...tainted.keys()].some((k) => /^\d+$/.test(k))) return [...tainted.values()][0]
      }
      return undefined
    }
    for (const top of body) {
      for (const node of descendants(top)) {
        if (node.type === 'variable_assignment') {
          const value = node.childForFieldName('value')
          const from = value ? source(value) : undefined
          if (from !== undefined) tainted.set(node.childForFieldName('name')?.text ?? '', from)
        }
        const name = commandName(node)
        if (name === undefined || BUILTINS.has(name)) continue
        const args = commandArgs(node)
        if (functions.has(name)) {
          if (depth > 8) continue
          const passed = new Map<string, string>()
          args.forEach((arg, i) => {
            const from = source(arg)
            if (from !== undefined) passed.set(String(i + 1), from)
          })
          if (passed.size > 0) visit(functions.get(name)!, passed, depth + 1)
          continue
        }
        for (const arg of args) {
          const from = source(arg)
          if (from !== undefined) found.set(`${name} ${from}`, { variable: from, command: name })
        }
      }
    }
  }
  visit(nodes, new Map(), 0)
  return [...found.values()]
}

/** The note said about an exposure, above the task and in what the conversion prints. */
export function exposureNote(e: Exposure): string {
  return `${e.command} gets ${e.variable} on its command line, where ps shows it to every user of this machine: give it to ${e.command} in its environment or on stdin instead.`
}

/** Calls `visit` on every node of `nodes` and of the functions they call, each function once. */
function walk(nodes: Node[], functions: Map<string, Node[]>, seen: Set<string>, visit: (node: Node) => void): void {
  for (const top of nodes) {
    for (const node of descendants(top)) {
      visit(node)
      const name = commandName(node)
      if (name !== undefined && functions.has(name) && !seen.has(name)) {
        seen.add(name)
        walk(functions.get(name)!, functions, seen, visit)
      }
    }
  }
}

function ancestors(node: Node): Node[] {
  const out: Node[] = []
  for (let at = node.parent; at; at = at.parent) out.push(at)
  return out
}
