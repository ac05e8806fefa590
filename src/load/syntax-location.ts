/**
 * Where a JavaScript tasks file has a syntax error. Node's ES module loader throws a SyntaxError that
 * says what but not where (its arrow stays inside Node); `node --check` prints the file, the line and a
 * caret under the column, so the failure path (and only it) asks it.
 */
import type { SourceLocation } from '../errors.js'
import { childProcess } from '../util/lazy-modules.js'

/** The location of the syntax error in `file` (a .js, .mjs or .cjs file), or undefined when Node finds none there. */
export function syntaxLocation(file: string): SourceLocation | undefined {
  const checked = childProcess().spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 })
  if (checked.status === 0 || typeof checked.stderr !== 'string') return undefined
  // FILE:LINE, the source line, then spaces and a caret under the column.
  const [where, lineText, caret] = checked.stderr.split('\n')
  const found = /^(.*):(\d+)$/.exec(where ?? '')
  if (!found || found[1] !== file) return undefined
  const column = caret?.indexOf('^') ?? -1
  return { file, line: Number(found[2]), column: column >= 0 ? column + 1 : 1, lineText }
}
