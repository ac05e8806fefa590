/**
 * make's expansion of a recipe line (or of an exported variable's value)
 * into shell text: `$(VAR)` as a constant, the environment's (`${VAR:-x}`
 * for `?=` and for make's built-in `CC`, `RM`…) or the value itself; `$@`
 * and friends; `$(shell cmd)` as `$(cmd)`. What make computes itself (its
 * functions, `$*`, substitution references) is refused, naming the line.
 */
import posix from 'node:path/posix'
import { RuntsError } from '../../errors.js'
import { visible } from './literals.js'
import type { Makefile, MakeVariable, Rule } from './makefile-reader.js'
import { ARGS, type Constant, type Part } from './model.js'

/** Where a text was written in the Makefile (a line and its text), for an error about it. */
export interface At {
  line: number
  text: string
}

/** Shell syntax the expansion writes (`${VAR:-`, `$(`), beside make's own text, which an exported value must escape. */
export type Piece = Part | { sh: string }

export interface Expansion {
  file: string
  make: Makefile
  rule: Rule
  /** The constants of the tasks file, filled in as variables are met. */
  constants: Map<string, Constant>
}

/** A value zx leaves unquoted, so that `${NAME}` reads as make's text would. */
const SAFE_WORD = /^[\w/.\-@:=]+$/
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
/** More than any real command line: a variable that expands to more was built to blow up. */
const MAX_EXPANSION = 1024 * 1024

/** make's built-in variables (`make -p -f /dev/null`, origin default) that recipes use: the environment overrides them, a `?=` does not. */
const BUILT_IN: Record<string, string> = Object.assign(Object.create(null), {
  AR: 'ar',
  ARFLAGS: 'rv',
  AS: 'as',
  CC: 'cc',
  CO: 'co',
  'COMPILE.c': '$(CC) $(CFLAGS) $(CPPFLAGS) $(TARGET_ARCH) -c',
  'COMPILE.cc': '$(CXX) $(CXXFLAGS) $(CPPFLAGS) $(TARGET_ARCH) -c',
  CPP: '$(CC) -E',
  CXX: 'g++',
  FC: 'f77',
  GET: 'get',
  LD: 'ld',
  LEX: 'lex',
  LINT: 'lint',
  'LINK.c': '$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) $(TARGET_ARCH)',
  'LINK.cc': '$(CXX) $(CXXFLAGS) $(CPPFLAGS) $(LDFLAGS) $(TARGET_ARCH)',
  'LINK.o': '$(CC) $(LDFLAGS) $(TARGET_ARCH)',
  M2C: 'm2c',
  MAKEINFO: 'makeinfo',
  OBJC: 'cc',
  OUTPUT_OPTION: '-o $@',
  PC: 'pc',
  RM: 'rm -f',
  TEX: 'tex',
  TEXI2DVI: 'texi2dvi',
  YACC: 'yacc',
})

/** GNU make's functions: `$(wildcard *.c)` is one, `$(wildcard)` a variable. */
const FUNCTIONS = new Set(
  `subst patsubst strip findstring filter filter-out sort word wordlist words firstword lastword dir notdir suffix basename
  addsuffix addprefix join wildcard realpath abspath error warning info shell origin flavor foreach if or and intcmp call eval
  file value let guile`.split(/\s+/),
)

/** A text of the Makefile expanded as make expands it for the shell; `where` says where a reference in it was written. */
export function expand(text: string, x: Expansion, where: (reference: string) => At, depth = 0): Piece[] {
  const pieces: Piece[] = []
  let at = 0
  for (let i = text.indexOf('$'); i !== -1; i = text.indexOf('$', at)) {
    pieces.push(text.slice(at, i))
    const open = text[i + 1]
    if (open === undefined) return pieces // a `$` that ends the text is nothing, to make
    const end = open === '(' || open === '{' ? referenceEnd(text, i + 1) : i + 2
    const reference = text.slice(i, end ?? text.length)
    if (end === undefined)
      refuse(x, where(reference), reference, 'an unterminated variable reference', 'make stops at this line too: close it')
    at = end
    const inner = open === '(' || open === '{' ? reference.slice(2, -1) : open
    pieces.push(...referenceValue(inner, reference, x, where, depth))
  }
  pieces.push(text.slice(at))
  return pieces
}

/** What one reference (`$(VAR)`, `$@`, `$(shell …)`) gives: `inner` is what its brackets hold. */
function referenceValue(inner: string, reference: string, x: Expansion, where: (reference: string) => At, depth: number): Piece[] {
  const { rule } = x
  const fn = /^([a-z][a-z-]*)[ \t]/.exec(inner)?.[1]
  if (fn === 'shell') return [{ sh: `$(${flat(expand(inner.slice(6), x, where, depth), x)})` }]
  if (fn !== undefined && FUNCTIONS.has(fn)) {
    refuse(
      x,
      where(reference),
      reference,
      `make's function $(${fn} …)`,
      `make computes it itself, as it reads the Makefile; runts converts $(shell …) only: write out what $(${fn} …) gives (or compute it in the recipe's shell), then convert again`,
    )
  }
  if (inner === '$') return ['$']
  const automatic = automaticVariable(inner, rule)
  if (automatic !== undefined) return [automatic]
  if (/^[*%|][DF]?$/.test(inner)) {
    refuse(
      x,
      where(reference),
      reference,
      `make's automatic variable ${reference}`,
      'write out what it stands for in the recipe, then convert again',
    )
  }
  if (/^[^:=]+:[^=]*=/.test(inner)) {
    refuse(x, where(reference), reference, `a substitution reference, ${reference}`, 'write out the names it gives, then convert again')
  }
  if (inner === 'MAKE') return ['make']
  return variable(inner, x, depth)
}

/** `$@`, `$<`, `$^`, `$+`, `$?` and their `D`/`F` parts (folder, file name) for a rule of files that are all out of date. */
function automaticVariable(name: string, rule: Rule): string | undefined {
  const values: Record<string, string[]> = {
    '@': [rule.target],
    '<': rule.prerequisites.slice(0, 1),
    '^': [...new Set(rule.prerequisites)],
    '+': rule.prerequisites,
    '?': [...new Set(rule.prerequisites)],
  }
  const words = values[name[0]!]
  if (words === undefined || name.length > 2) return undefined
  if (name.length === 1) return words.join(' ')
  if (name[1] === 'D') return words.map((w) => posix.dirname(w)).join(' ')
  if (name[1] === 'F') return words.map((w) => posix.basename(w)).join(' ')
  return undefined
}

function variable(name: string, x: Expansion, depth: number): Piece[] {
  const { make, constants } = x
  const v = make.variables.get(name)
  const builtIn = builtInValue(name, make)
  // `CC ?= gcc` changes nothing: make's own CC=cc is defined already (the environment wins over both).
  if (!v || (v.op === '?=' && builtIn !== undefined)) {
    if (name === 'ARGS' && !v) return [ARGS]
    if (builtIn !== undefined)
      return orEnvironment(
        name,
        expand(builtIn, x, () => ({ line: 0, text: builtIn }), depth + 1),
      )
    // Not in the file: make read it from the environment (a name no shell variable can have is empty).
    return SHELL_NAME.test(name) ? [{ sh: `\${${name}}` }] : []
  }
  if (depth > 20) return [v.value]
  const expanded = merge(expand(v.value, x, (reference) => sourceOf(v, reference), depth + 1))
  // `A2 = $(A1) $(A1)`, `A3 = $(A2) $(A2)`…: each level doubles the text.
  if (flat(expanded, x).length > MAX_EXPANSION) {
    refuse(x, v.sources[0]!, name, `$(${name}), which expands to more than 1 MiB`, 'make would run out of memory on it too')
  }
  if (v.op === '?=') return orEnvironment(name, expanded) // the environment wins, as with make's ?=
  const value = expanded.length === 1 && typeof expanded[0] === 'string' ? expanded[0] : undefined
  const words = value?.split(/[ \t]+/).filter(Boolean)
  // Words that zx joins with one space as make's text did (`a  b` inside quotes keeps its two spaces: pasted).
  if (v.op !== '!=' && words && words.length > 0 && words.join(' ') === value && words.every((w) => SAFE_WORD.test(w))) {
    constants.set(name, { name, value: words.length === 1 ? words[0]! : words })
    return [{ constant: name }]
  }
  return v.op === '!=' ? [{ sh: `$(${flat(expanded, x)})` }] : expanded
}

/** The built-in value of `name`, unless the Makefile turns them off (`MAKEFLAGS += -R`). */
function builtInValue(name: string, make: Makefile): string | undefined {
  const flags = make.variables.get('MAKEFLAGS')?.value ?? ''
  if (/(^|[ \t])(-[A-Za-z]*R|--no-builtin-variables)\b/.test(flags)) return undefined
  return BUILT_IN[name]
}

/** `${NAME:-value}`: the environment's value when it has one. */
function orEnvironment(name: string, value: Piece[]): Piece[] {
  return SHELL_NAME.test(name) ? [{ sh: `\${${name}:-` }, ...value, { sh: '}' }] : value
}

/** The line of a variable's definition (of its `+=` lines, the one) that holds `reference`. */
function sourceOf(v: MakeVariable, reference: string): At {
  return v.sources.find((s) => s.text.includes(reference)) ?? v.sources[0]!
}

/** Pieces as one text, constants as their values. */
export function flat(pieces: Piece[], x: Expansion): string {
  return pieces
    .map((p) => {
      if (typeof p === 'string') return p
      if (p === ARGS) return ''
      if ('sh' in p) return p.sh
      return [x.constants.get(p.constant)!.value].flat().join(' ')
    })
    .join('')
}

/** Adjacent texts as one; empty texts left out. */
export function merge<T extends Piece>(pieces: T[]): T[] {
  const out: T[] = []
  for (const p of pieces) {
    const last = out.at(-1)
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = (last + p) as T
    else if (p !== '') out.push(p)
  }
  return out
}

/** The index after the bracket closing the one at `open`, counting only brackets of its kind, as make does; undefined when none does. */
function referenceEnd(text: string, open: number): number | undefined {
  const [opener, closer] = text[open] === '(' ? ['(', ')'] : ['{', '}']
  let depth = 0
  for (let i = open; i < text.length; i++) {
    if (text[i] === opener) depth++
    else if (text[i] === closer && --depth === 0) return i + 1
  }
  return undefined
}

function refuse(x: Expansion, at: At, reference: string, what: string, hint: string): never {
  const column = Math.max(0, at.text.indexOf(reference)) + 1
  throw new RuntsError('convert', `${x.file}:${at.line}: runts does not convert ${what}: ${visible(at.text)}`, {
    hint,
    location: { file: x.file, line: at.line, column, lineText: visible(at.text) },
  })
}
