/**
 * Makefile -> tasks: one per target, prerequisites (and leading `$(MAKE) x`
 * lines) as deps, each recipe line one command. make runs each line in its own
 * shell without `set -e` and stops at the first that fails; so do the tasks.
 */
import { kids, type Node, parseBash } from './bash-parser.js'
import { type Expansion, expand, flat, merge } from './make-expand.js'
import { type Makefile, type Rule, readMakefile } from './makefile-reader.js'
import type { Constant, ConvertOptions, FileModel, Part, TaskModel } from './model.js'
import { ARGS } from './model.js'
import { isPlain } from './shell-forms.js'
import { DOTENV_WHY, HELPER_FUNCTIONS } from './shell-helpers.js'
import { assignedVariables, dotenvVariables, exposedSecrets, exposureNote } from './shell-variables.js'

const NO_FUNCTIONS = new Set<string>()

/** Converts a Makefile used as a command list. */
export async function convertMakefile(file: string, text: string, options: ConvertOptions = {}): Promise<FileModel> {
  const make = readMakefile(file, text)
  const loadsDotenv = make.dropped.some((d) => d.why === DOTENV_WHY)
  const notes: string[] = []
  const targets = new Set(make.rules.map((r) => r.target))
  const constants = new Map<string, Constant>()
  const model: FileModel = { from: file, constants: [], tasks: [], dropped: make.dropped, notes }
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
    const statements: Node[] = []
    let leading = true
    let echoed = false
    for (const line of rule.recipe) {
      const { parts, silent, nothrow } = expandLine(line, { file, make, rule, constants })
      const called = leading && parts.length === 1 ? /^make(?:\s+-\S+)*\s+([^\s-]\S*)$/.exec(String(parts[0]))?.[1] : undefined
      if (called && targets.has(called) && !task.deps.includes(called)) {
        task.deps.push(called)
        continue
      }
      leading = false
      if (!silent) echoed = true
      task.commands.push({ parts, nothrow })
      const read = await parsed(parts, file, line)
      statements.push(...read)
      if (!(read.length === 1 && isPlain(read[0]!, NO_FUNCTIONS, false))) task.shell = 'sh'
    }
    if (echoed) task.comments.push('make printed each recipe line before running it; `run -x TASK` prints each command.')
    // What it reads from the .env the Makefile includes, runts checks before anything runs.
    if (loadsDotenv && options.envNames) {
      const env = dotenvVariables(
        statements,
        new Map(),
        options.envNames,
        new Set([...make.variables.keys(), ...assignedVariables(statements)]),
      )
      if (env.length > 0) task.env = env
    }
    for (const exposure of exposedSecrets(statements, new Map())) {
      task.comments.push(exposureNote(exposure))
      notes.push(`${task.name}: ${exposureNote(exposure)}`)
    }
    model.tasks.push(task)
  }
  model.constants = [...constants.values()]
  const exports = exportLines(file, make)
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

/** `export NAME="value"` for each variable the Makefile exports (make's own value, the environment's for `?=`). */
function exportLines(file: string, make: Makefile): string {
  const none: Rule = { target: '', prerequisites: [], recipe: [] }
  const lines = [...make.exported].flatMap((name) => {
    const x: Expansion = { file, make, rule: none, constants: new Map() }
    const value = expand(`$(${name})`, x, () => ({ line: 0, text: name }))
    if (value.length === 0 || (value.length === 1 && typeof value[0] === 'object' && 'sh' in value[0])) return [] // not set in the file
    // make gives the value as it is: in the prelude's double quotes only the shell syntax the expansion wrote is read.
    const quoted = (text: string) => text.replace(/["\\`$]/g, '\\$&')
    const text = value.map((p) => (typeof p === 'object' && 'sh' in p ? p.sh : quoted(flat([p], x)))).join('')
    return [`export ${name}="${text}"`]
  })
  return lines.length > 0 ? `${lines.join('\n')}\n` : ''
}

/** A recipe line with make's variables expanded: `@`, `-` and `+` prefixes read, `$$` as `$`. */
function expandLine(line: Rule['recipe'][number], x: Expansion): { parts: Part[]; silent: boolean; nothrow: boolean } {
  const prefix = /^[@+\- \t]*/.exec(line.text)![0]
  const pieces = expand(line.text.slice(prefix.length), x, () => ({ line: line.line, text: line.text }))
  const parts = quotedArgs(merge(pieces.map((p): Part => (typeof p === 'object' && 'sh' in p ? p.sh : p))))
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

/** A recipe line's statements, as bash reads it (a constant or the arguments read as a word). */
async function parsed(parts: Part[], file: string, line: Rule['recipe'][number]): Promise<Node[]> {
  const text = parts.map((p) => (typeof p === 'string' ? p : 'x')).join('')
  return kids(
    await parseBash(text, file, {
      line: line.line,
      lineText: line.text,
      what: "recipe line (make's variables expanded)",
      hint: 'make hands it to sh as it is, where it fails too; `make -n TARGET` shows what make runs',
    }),
  ).filter((n) => n.type !== 'comment')
}
