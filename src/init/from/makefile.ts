/**
 * Makefile -> tasks: one per target, prerequisites (and leading `$(MAKE) x`
 * lines) as deps, each recipe line one command. make runs each line in its own
 * shell without `set -e` and stops at the first that fails; so do the tasks.
 */
import { kids, parseBash } from './bash-parser.js'
import { type Makefile, type Rule, readMakefile } from './makefile-reader.js'
import type { Constant, FileModel, Part, TaskModel } from './model.js'
import { ARGS } from './model.js'
import { isPlain } from './shell-forms.js'
import { HELPER_FUNCTIONS } from './shell-helpers.js'

/** A value zx leaves unquoted, so that `${NAME}` reads as make's text would. */
const SAFE_WORD = /^[\w/.\-@:=]+$/
const NO_FUNCTIONS = new Set<string>()

/** Converts a Makefile used as a command list. */
export async function convertMakefile(file: string, text: string): Promise<FileModel> {
  const make = readMakefile(file, text)
  const targets = new Set(make.rules.map((r) => r.target))
  const constants = new Map<string, Constant>()
  const model: FileModel = { from: file, constants: [], tasks: [], dropped: make.dropped }
  for (const rule of make.rules) {
    if (HELPER_FUNCTIONS[rule.target]) {
      model.dropped.push({ what: `the ${rule.target} target`, why: HELPER_FUNCTIONS[rule.target]! })
      continue
    }
    const task: TaskModel = { name: rule.target, description: rule.description, deps: [], commands: [], shell: '$', comments: [] }
    for (const p of rule.prerequisites) {
      if (targets.has(p) && !HELPER_FUNCTIONS[p]) {
        task.deps.push(p)
        continue
      }
      // Never lost in silence: said above the task and in the list at the top.
      const why = HELPER_FUNCTIONS[p] ? `the ${p} target is left out (${HELPER_FUNCTIONS[p]})` : fileWhy(rule.target)
      task.comments.push(`make made its prerequisite ${p} first; it is not a task here: ${why}.`)
      model.dropped.push({ what: `the prerequisite ${p} of ${rule.target}`, why })
    }
    if (!make.phony.has(rule.target))
      task.comments.push(`make ran this only when the file ${rule.target} was out of date; runts always runs it.`)
    let leading = true
    let echoed = false
    for (const line of rule.recipe) {
      const { parts, silent, nothrow } = expandLine(line.text, rule, make, constants)
      const called = leading && parts.length === 1 ? /^make(?:\s+-\S+)*\s+([^\s-]\S*)$/.exec(String(parts[0]))?.[1] : undefined
      if (called && targets.has(called) && !task.deps.includes(called)) {
        task.deps.push(called)
        continue
      }
      leading = false
      if (!silent) echoed = true
      task.commands.push({ parts, nothrow })
      if (!(await plain(parts, file))) task.shell = 'sh'
    }
    if (echoed) task.comments.push('make printed each recipe line before running it; `run -x TASK` prints each command.')
    model.tasks.push(task)
  }
  model.constants = [...constants.values()]
  const exports = exportLines(make)
  // Exported variables reach every recipe line: every line then runs after the prelude that sets them.
  if (exports !== '') for (const t of model.tasks) t.shell = 'sh'
  if (model.tasks.some((t) => t.shell === 'sh' && t.commands.length > 0)) {
    const comments = ['make runs each recipe line with `sh -c`, without `set -e` or `pipefail`: so do these lines.']
    if (exports !== '') comments.push(`The Makefile exports ${[...make.exported].join(', ')} to them: so does the prelude.`)
    model.helper = { prelude: exports, comments }
  }
  return model
}

function fileWhy(target: string): string {
  const check = `make checked that it exists (and remade ${target} when it was newer); runts does not check it`
  return `it is a file, or made by a rule runts does not convert: ${check} (list it in the task's \`inputs\` to skip the task while it is unchanged)`
}

/** `export NAME="value"` for each variable the Makefile exports, `?=` ones as defaults of the environment. */
function exportLines(make: Makefile): string {
  const none: Rule = { target: '', prerequisites: [], recipe: [] }
  const lines = [...make.exported].flatMap((name) => {
    if (!make.variables.has(name)) return []
    const scratch = new Map<string, Constant>()
    const text = variable(name, none, make, scratch, 0)
      .map((p) => (typeof p === 'string' ? p : typeof p === 'object' ? [scratch.get(p.constant)!.value].flat().join(' ') : ''))
      .join('')
    return [`export ${name}="${text.replace(/["\\`]/g, '\\$&')}"`]
  })
  return lines.length > 0 ? `${lines.join('\n')}\n` : ''
}

/** A recipe line with make's variables expanded: `@`, `-` and `+` prefixes read, `$$` as `$`. */
function expandLine(
  raw: string,
  rule: Rule,
  make: Makefile,
  constants: Map<string, Constant>,
): { parts: Part[]; silent: boolean; nothrow: boolean } {
  const prefix = /^[@+\- \t]*/.exec(raw)![0]
  const parts = quotedArgs(merge(expand(raw.slice(prefix.length), rule, make, constants, 0)))
  return { parts, silent: prefix.includes('@'), nothrow: prefix.includes('-') }
}

/**
 * make pastes `$(ARGS)` into the line as text; `${args}` quotes each argument as a word of its own,
 * which inside double quotes (`echo "args: $(ARGS)"`) would print the quotes. There the arguments
 * become the shell's own (`set -- ${args}; echo "args: $*"`): joined by blanks, as make's text was.
 */
function quotedArgs(parts: Part[]): Part[] {
  let quote: '"' | "'" | undefined
  let inside = false
  const out = parts.map((part) => {
    if (part === ARGS) {
      if (quote !== '"') return part
      inside = true
      return '$*'
    }
    if (typeof part !== 'string') return part
    for (let i = 0; i < part.length; i++) {
      const ch = part[i]
      if (ch === '\\' && quote !== "'") i++
      else if (quote === undefined && (ch === '"' || ch === "'")) quote = ch
      else if (ch === quote) quote = undefined
    }
    return part
  })
  return inside ? merge(['set -- ', ARGS, '; ', ...out]) : out
}

function expand(text: string, rule: Rule, make: Makefile, constants: Map<string, Constant>, depth: number): Part[] {
  const parts: Part[] = []
  const pattern = /\$(?:\(([^()]*(?:\([^()]*\)[^()]*)*)\)|\{([^{}]*)\}|(.))/g
  let at = 0
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    parts.push(text.slice(at, m.index))
    at = m.index + m[0].length
    const name = (m[1] ?? m[2] ?? m[3] ?? '').trim()
    if (name === '$') parts.push('$')
    else if (name === '@') parts.push(rule.target)
    else if (name === '<') parts.push(rule.prerequisites[0] ?? '')
    else if (name === '^' || name === '+') parts.push(rule.prerequisites.join(' '))
    else if (name.startsWith('shell ')) parts.push(`$(${name.slice(6)})`)
    else if (name === 'MAKE') parts.push('make')
    else parts.push(...variable(name, rule, make, constants, depth))
  }
  parts.push(text.slice(at))
  return parts
}

function variable(name: string, rule: Rule, make: Makefile, constants: Map<string, Constant>, depth: number): Part[] {
  const v = make.variables.get(name)
  if (!v) return name === 'ARGS' ? [ARGS] : [`\${${name}}`] // not in the file: make read it from the environment
  if (depth > 20) return [v.value]
  const expanded = merge(expand(v.value, rule, make, constants, depth + 1))
  const value = expanded.length === 1 && typeof expanded[0] === 'string' ? expanded[0] : undefined
  if (v.op === '?=') return ['${', name, ':-', ...expanded, '}'] // the environment wins, as with make's ?=
  const words = value?.split(/[ \t]+/).filter(Boolean)
  if (v.op !== '!=' && words && words.length > 0 && words.every((w) => SAFE_WORD.test(w))) {
    constants.set(name, { name, value: words.length === 1 ? words[0]! : words })
    return [{ constant: name }]
  }
  return v.op === '!=' ? [`$(${value ?? v.value})`] : expanded
}

function merge(parts: Part[]): Part[] {
  const out: Part[] = []
  for (const p of parts) {
    const last = out.at(-1)
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p
    else if (p !== '') out.push(p)
  }
  return out
}

/** Would runts' `$` (with `set -euo pipefail`) run this line as make's `sh -c` does? */
async function plain(parts: Part[], file: string): Promise<boolean> {
  const text = parts.map((p) => (typeof p === 'string' ? p : 'x')).join('')
  const statements = kids(await parseBash(text, file)).filter((n) => n.type !== 'comment')
  return statements.length === 1 && isPlain(statements[0]!, NO_FUNCTIONS, false)
}
