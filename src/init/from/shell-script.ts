/**
 * A task's body that stays bash: one script for the `sh` helper, cut from the
 * original text (comments between its statements kept), reindented unless a
 * here-document's text would change, with the task's arguments as its `"$@"`.
 */
import { descendants, type Node } from './bash-parser.js'
import { indentLines } from './literals.js'
import { ARGS, type Command } from './model.js'
import type { ShellFile, ShellFunction } from './shell-file.js'
import { needsFunction, usesArgs } from './shell-forms.js'

/** A task's remaining body as one script, with the task's arguments as its `"$@"`. */
export function script(a: { fn: ShellFunction; rest: Node[] }, text: string, source: ShellFile['source']): Command {
  const first = a.rest[0]!
  const lineStart = text.lastIndexOf('\n', first.startIndex - 1) + 1
  // From the start of its line, unless the body shares that line with the function's `{`.
  const start = text.slice(lineStart, first.startIndex).trim() === '' ? lineStart : first.startIndex
  // Text that spans lines inside a here-document or quotes is output: its indentation must not change.
  const heredoc = a.rest.some((n) =>
    [...descendants(n)].some((d) => d.type === 'heredoc_body' || (d.startPosition.row !== d.endPosition.row && /string$/.test(d.type))),
  )
  // Lines move to the tasks file's indentation, unless a here-document's text would change with them.
  const original = source(start, a.rest.at(-1)!.endIndex)
  const body = heredoc ? original : reindent(original, '    ')
  const indent = heredoc ? text.slice(start, first.startIndex) : '    '
  if (needsFunction(a.rest)) {
    // `local` and `return` only work in a function: the body stays one, called with the task's arguments.
    const inner = heredoc ? body : indentLines(body, '  ', false)
    return { parts: [`${indent}${a.fn.name}() {\n${inner}\n${indent}}\n${indent}${a.fn.name} `, ARGS] }
  }
  if (usesArgs(a.rest)) return { parts: [`${indent}set -- `, ARGS, `\n${body}`] }
  return { parts: [body.includes('\n') ? body : body.trimStart()] }
}

/** The body statements from the first to the last of `rest`, comments and dropped calls between them included. */
export function restRange(a: { fn: ShellFunction; rest: Node[] }): Node[] {
  if (a.rest.length === 0) return []
  const from = a.rest[0]!.startIndex
  const to = a.rest.at(-1)!.endIndex
  return a.fn.body.filter((n) => n.startIndex >= from && n.endIndex <= to)
}

function reindent(body: string, indent: string): string {
  const lines = body.split('\n')
  const common = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length))
  return lines.map((l) => (l.trim() === '' ? '' : indent + l.slice(common))).join('\n')
}
