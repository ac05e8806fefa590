/**
 * What Node's type stripping cannot take, as an error for people: the file and line (from the arrow
 * Node puts at the top of the stack; its frames are Node's own), and what to write instead. Used where
 * no esbuild is there to compile the file instead (runts installed from PyPI runs on Node 24 alone).
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { RuntsError, type SourceLocation } from '../errors.js'

/** What to write instead of each construct, by the words of Node's message. */
const ALTERNATIVES: Array<[RegExp, string]> = [
  [/\benum\b/, "an object with `as const` instead of an enum: `export const Color = { Red: 'red' } as const`"],
  [/\bnamespace\b|`module` keyword/, 'a plain object, or a module of its own imported with `import * as name`, instead of a namespace'],
  [
    /\bparameter propert/,
    'a field declared in the class and assigned in the constructor (`x: number; constructor(x: number) { this.x = x }`) instead of a parameter property',
  ],
  [/\bimport equals\b/, "an ES import (`import fs from 'node:fs'`) instead of `import x = require(…)`"],
  [/\bexport assignment\b/, 'an ES export (`export default …`) instead of `export = …`'],
  [/angle-bracket/, '`expr as T` instead of `<T>expr`'],
]

const STRIPPING = 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX'

/**
 * A RuntsError for a tasks file Node could not load by type stripping alone, or undefined when the
 * error is something else. `file` is the tasks file; the error may name another file it imports.
 */
export function strippingError(error: unknown, file: string): RuntsError | undefined {
  const code = (error as { code?: string }).code
  const message = error instanceof Error ? error.message : String(error)
  if (code === STRIPPING) {
    const location = arrowLocation(error) ?? { file, line: 0, column: 0 }
    const alternative = ALTERNATIVES.find(([words]) => words.test(message))?.[1]
    return new RuntsError('compile', `${message.replace(/\.$/, '')}: Node runs TypeScript by removing its types, and this is not a type`, {
      location,
      hint: `write ${alternative ?? 'it in plain JavaScript with type annotations only'} (tsc's "erasableSyntaxOnly": true finds every such place)`,
      cause: error,
    })
  }
  if (code === 'ERR_INVALID_TYPESCRIPT_SYNTAX') {
    // Not TypeScript at all ("Expression expected"): where, as esbuild would say it.
    return new RuntsError('compile', message, { location: arrowLocation(error) ?? { file, line: 0, column: 0 }, cause: error })
  }
  if (code === 'ERR_MODULE_NOT_FOUND') {
    // "Cannot find module '/x/helpers' imported from /x/tasks.config.ts": an import written for a bundler.
    const found = /Cannot find module '([^']+)' imported from (.+)$/m.exec(message)
    const wanted = found?.[1]
    const written =
      wanted && [`${wanted}.ts`, wanted.replace(/\.js$/, '.ts')].find((candidate) => candidate !== wanted && existsSync(candidate))
    if (!found || !written) return undefined
    const from = found[2]!.startsWith('file:') ? fileURLToPath(found[2]!) : found[2]!
    return new RuntsError('compile', `cannot find module '${wanted}' imported from ${from}`, {
      location: importLocation(from, path.basename(wanted)),
      hint: `Node imports a TypeScript file by its own name: import './${path.relative(path.dirname(from), written).split(path.sep).join('/')}' (tsc allows it with "allowImportingTsExtensions": true)`,
      cause: error,
    })
  }
  // "The requested module 'runts' does not provide an export named 'CheckContext'": a type imported as a value.
  const missing = /does not provide an export named '([^']+)'/.exec(message)
  if (error instanceof SyntaxError && missing) {
    return new RuntsError('load', message, {
      location: arrowLocation(error) ?? { file, line: 0, column: 0 },
      hint: `when ${missing[1]} is a type, import it as one: import { type ${missing[1]} } from … (Node removes only imports marked as types)`,
      cause: error,
    })
  }
  return undefined
}

/** `FILE:LINE` on the stack's first line, and the column of the `^` under the source line below it. */
function arrowLocation(error: unknown): SourceLocation | undefined {
  const lines = (error instanceof Error ? (error.stack ?? '') : '').split('\n')
  const head = /^((?:file:\/\/)?\/.*|[A-Za-z]:\\.*):(\d+)$/.exec(lines[0] ?? '')
  if (!head) return undefined
  const file = head[1]!.startsWith('file:') ? fileURLToPath(head[1]!) : head[1]!
  const line = Number(head[2])
  const caret = lines.findIndex((text, i) => i > 0 && /^\s*\^+\s*$/.test(text))
  const column = caret > 0 ? lines[caret]!.indexOf('^') + 1 : 1
  return { file, line, column, lineText: sourceLine(file, line) }
}

/** The line of `from` that imports `name`. */
function importLocation(from: string, name: string): SourceLocation {
  const lines = safeRead(from).split(/\r?\n/)
  const quoted = new RegExp(`(['"])[^'"]*\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1`)
  const index = lines.findIndex((text) => /\b(?:from|import)\b/.test(text) && quoted.test(text))
  if (index < 0) return { file: from, line: 0, column: 0 }
  return { file: from, line: index + 1, column: lines[index]!.search(quoted) + 1, lineText: lines[index] }
}

function sourceLine(file: string, line: number): string | undefined {
  return safeRead(file).split(/\r?\n/)[line - 1]
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}
