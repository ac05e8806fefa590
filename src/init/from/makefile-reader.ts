/**
 * A Makefile read as make reads one used as a command list: variables,
 * rules (targets, prerequisites, recipe lines), `.PHONY`, `## doc` comments.
 * What make does beyond that is reported, not guessed at.
 */
import { RuntsError } from '../../errors.js'
import { readRuleLine } from './make-rule.js'
import { trimBlanks, withoutComment } from './make-syntax.js'
import type { Dropped } from './model.js'
import { DOTENV_WHY } from './shell-helpers.js'

export interface MakeVariable {
  op: '=' | ':=' | '::=' | '?=' | '+=' | '!='
  value: string
  /** The lines that gave it its value (its `+=` lines too), for an error about what they hold. */
  sources: Array<{ line: number; text: string }>
}

export interface Rule {
  target: string
  prerequisites: string[]
  /** Recipe lines as make hands them to the shell (before variable expansion), with their line numbers. */
  recipe: Array<{ text: string; line: number }>
  description?: string
}

export interface Makefile {
  variables: Map<string, MakeVariable>
  /** Variables `export`ed to the recipes' environment. */
  exported: Set<string>
  rules: Rule[]
  phony: Set<string>
  dropped: Dropped[]
}

// make's blanks are spaces and tabs: a U+2028 in a value is part of it.
const ASSIGNMENT = /^(?:override[ \t]+|export[ \t]+)?([A-Za-z0-9_.-]+)[ \t]*(\?=|::=|:=|\+=|!=|=)[ \t]*(.*)$/s

/** Reads the parts of a Makefile that a command list uses. */
export function readMakefile(file: string, text: string): Makefile {
  const result: Makefile = { variables: new Map(), exported: new Set(), rules: [], phony: new Set(), dropped: [] }
  // make reads a CR before a newline as part of the line end (a Makefile saved with CRLF works).
  const lines = text.split(/\r?\n/)
  let current: Rule[] = []
  let comments: string[] = []
  let conditional: { start: number; lines: string[] } | undefined
  for (let i = 0; i < lines.length; i++) {
    const start = i
    let line = lines[i]!
    if (line.startsWith('\t') && current.length > 0) {
      // A recipe line: backslash-newline stays for the shell, without the next line's leading tab.
      while (line.endsWith('\\') && i + 1 < lines.length) line += `\n${lines[++i]!.replace(/^\t/, '')}`
      const recipe = line.slice(1)
      if (recipe.trim() !== '') for (const rule of current) rule.recipe.push({ text: recipe, line: start + 1 })
      continue
    }
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${trimBlanks(line.slice(0, -1))} ${trimBlanks(lines[++i]!)}`
    const trimmed = trimBlanks(line)
    if (conditional) {
      if (/^endif\b/.test(trimmed)) {
        endConditional(file, conditional, result)
        conditional = undefined
      } else conditional.lines.push(trimBlanks(withoutComment(trimmed)))
      continue
    }
    if (trimmed === '' || trimmed.startsWith('#')) {
      comments = trimmed === '' ? [] : [...comments, trimmed.replace(/^#+\s?/, '')]
      if (trimmed === '') current = []
      continue
    }
    current = []
    // Directives and assignments are read without their comment; a rule's line keeps it until it is split.
    const code = trimBlanks(withoutComment(trimmed))
    if (/^(ifeq|ifneq|ifdef|ifndef)\b/.test(code)) {
      conditional = { start: start + 1, lines: [code] }
      continue
    }
    if (/^-?s?include\s+(\S*\/)?\.env\s*$/.test(code) || code === 'export') {
      result.dropped.push({ what: trimmed, why: DOTENV_WHY })
      continue
    }
    if (/^(-?include|sinclude|define|vpath|unexport)\b/.test(code)) {
      unsupported(file, start + 1, trimmed)
    }
    // `export NAME…`: variables set elsewhere in the file, exported to the recipes.
    const exported = /^export((?:[ \t]+[A-Za-z0-9_.-]+)+)$/.exec(code)
    if (exported) {
      for (const name of exported[1]!.trim().split(/[ \t]+/)) result.exported.add(name)
      continue
    }
    const assignment = ASSIGNMENT.exec(code)
    if (assignment) {
      const [, name, op, value] = assignment
      if (/^(override[ \t]+)?export[ \t]/.test(code)) result.exported.add(name!)
      if (name === '.DEFAULT_GOAL') result.dropped.push({ what: trimmed, why: '`run` with no task name lists the tasks' })
      else assign(result.variables, name!, op as MakeVariable['op'], trimBlanks(value!), { line: start + 1, text: trimmed })
      continue
    }
    // make expands the names of targets and prerequisites as it reads them, with the variables so far.
    const rule = readRuleLine(trimmed, (text) => expandText(text, result.variables))
    if (typeof rule !== 'object') unsupported(file, start + 1, trimmed, rule)
    const doc = rule.comment?.startsWith('#') ? rule.comment.replace(/^#+/, '').trim() : comments.join(' ')
    comments = []
    for (const { name: target, pattern } of rule.targets) {
      if (target === '.PHONY') {
        for (const p of rule.prerequisites) result.phony.add(p)
        continue
      }
      if (/^\.[A-Z_]+$/.test(target) || pattern || rule.staticPattern) {
        result.dropped.push({ what: `the ${target} rule`, why: 'special and pattern rules are not converted' })
        // Its recipe lines are read (into a rule that is not kept), so that they are not taken for make syntax.
        current.push({ target, prerequisites: [], recipe: [] })
        continue
      }
      let existing = result.rules.find((r) => r.target === target)
      if (!existing) {
        existing = { target, prerequisites: [], recipe: [], description: doc || undefined }
        result.rules.push(existing)
      }
      existing.prerequisites.push(...rule.prerequisites.filter((p) => !existing!.prerequisites.includes(p)))
      if (rule.recipe !== undefined) existing.recipe.push({ text: rule.recipe, line: start + 1 })
      current.push(existing)
    }
  }
  return result
}

/** `$(VAR)` and `${VAR}` expanded with the variables read so far (a reference to no variable of the file left as written, `$$` too). */
function expandText(text: string, variables: Map<string, MakeVariable>, depth = 0): string {
  return text.replace(/\$(?:\$|\(([\w.-]+)\)|\{([\w.-]+)\})/g, (whole, paren?: string, brace?: string) => {
    const v = whole === '$$' ? undefined : variables.get((paren ?? brace)!)
    return v && depth < 20 ? expandText(v.value, variables, depth + 1) : whole
  })
}

function assign(
  variables: Map<string, MakeVariable>,
  name: string,
  op: MakeVariable['op'],
  value: string,
  at: MakeVariable['sources'][0],
): void {
  const previous = variables.get(name)
  if (op === '?=' && previous) return
  if (op === '+=' && previous) {
    variables.set(name, { op: previous.op, value: trimBlanks(`${previous.value} ${value}`), sources: [...previous.sources, at] })
  } else variables.set(name, { op: op === '+=' ? '=' : op, value, sources: [at] })
}

/** `ifneq (,$(wildcard .env)) include .env export endif` loads .env; any other conditional is not converted. */
function endConditional(file: string, block: { start: number; lines: string[] }, result: Makefile): void {
  const body = block.lines.slice(1).filter((l) => l !== '')
  if (body.length > 0 && body.every((l) => /^-?s?include\s+(\S*\/)?\.env$/.test(l) || /^export\b/.test(l))) {
    result.dropped.push({ what: `${block.lines[0]} … endif`, why: DOTENV_WHY })
    return
  }
  unsupported(file, block.start, block.lines[0]!)
}

function unsupported(file: string, line: number, text: string, what?: string): never {
  const why = what ? ` (${what})` : ''
  throw new RuntsError('convert', `${file}:${line}: runts does not convert this line of make${why}: ${text}`, {
    hint: 'runts reads Makefiles of targets, prerequisites, recipes, .PHONY and variables; move this part into a target first',
    location: { file, line, column: 1, lineText: text },
  })
}
