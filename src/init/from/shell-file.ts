/**
 * A run.sh read into its parts: functions (with their descriptions), the
 * top-level lines that stay, the helpers runts does itself (dropped), the
 * shell options in force when a task runs, and the dispatcher's name prefix.
 */
import { kids, type Node, parseBash } from './bash-parser.js'
import type { Dropped } from './model.js'
import {
  applySet,
  DOTENV_WHY,
  dispatchPrefix,
  isCdToScriptDir,
  loadsDotenv,
  type ShellOptions,
  scriptDirVariable,
} from './shell-helpers.js'

/** Why `set -e` is left out when every task runs with runts' `$` (with the prelude, it stays in the prelude's first line). */
export const ERREXIT_WHY = "runts' `$` stops a task at its first failing command"

export interface ShellFunction {
  /** As written in the file (`task:build`). */
  name: string
  node: Node
  /** The body's statements and comments. */
  body: Node[]
  description?: string
}

export interface ShellFile {
  text: string
  functions: ShellFunction[]
  /** Top-level lines that stay, in order, each as its (possibly rewritten) text. */
  kept: Array<{ node: Node; text: string }>
  options: ShellOptions
  /** The dispatcher's prefix of task function names (`task:`), or ''. */
  prefix: string
  dropped: Dropped[]
}

/** Reads a bash task file's top level. */
export async function readShellFile(file: string, text: string): Promise<ShellFile> {
  const root = await parseBash(text, file)
  const top = kids(root)
  const options = { errexit: false, nounset: false, pipefail: false, xtrace: false, allexport: false }
  const result: ShellFile = { text, functions: [], kept: [], options, prefix: '', dropped: [] }
  const dirVariables = new Set<string>()
  const loadsEnv = top.some((node) => node.type !== 'function_definition' && loadsDotenv(node))
  const drop = (node: Node, why: string) => result.dropped.push({ what: oneLine(node.text), why })
  for (const [i, node] of top.entries()) {
    if (node.type === 'comment') continue
    if (node.type === 'function_definition') {
      result.functions.push(readFunction(node, top[i - 1], text))
      continue
    }
    const before = { ...options }
    const dispatch = dispatchPrefix(node)
    const dirVariable = scriptDirVariable(node)
    if (dispatch !== undefined) {
      result.prefix = dispatch.prefix
      const why = ['`run TASK ARGS` runs the task named on its command line']
      if (/^time\b/.test(node.text)) why.push("prints each task's time in its summary")
      if (dispatch.unquoted) why.push('and passes each argument as given, where the unquoted `$@` split them at spaces')
      drop(node, why.join(', '))
    } else if (applySet(node, options)) {
      const why: string[] = []
      if (options.xtrace !== before.xtrace) why.push('`run -x TASK` prints each command before it runs')
      if (options.errexit && !before.errexit) why.push(ERREXIT_WHY)
      const same = options.errexit === before.errexit && options.nounset === before.nounset && options.pipefail === before.pipefail
      if (why.length > 0) drop(node, why.join('; '))
      // `set -a` around `source .env` is part of loading it; other option changes are in the prelude's first line.
      else if (same && !(options.allexport !== before.allexport && loadsEnv)) result.kept.push({ node, text: node.text })
    } else if (loadsDotenv(node)) {
      drop(node, DOTENV_WHY)
    } else if (isCdToScriptDir(node, dirVariables)) {
      drop(node, 'runts runs commands in the project root, the folder of tasks.config.ts')
    } else if (node.type === 'variable_assignment' && node.childForFieldName('name')?.text === 'TIMEFORMAT') {
      drop(node, "runts prints each task's time in its summary")
    } else if (dirVariable !== undefined) {
      dirVariables.add(dirVariable)
      const value = (
        node.type === 'variable_assignment' ? node : kids(node).find((k) => k.type === 'variable_assignment')
      )!.childForFieldName('value')!
      const rewritten = `${text.slice(node.startIndex, value.startIndex)}"$PWD"${text.slice(value.endIndex, node.endIndex)}`
      result.kept.push({ node, text: rewritten })
      drop(node, `${dirVariable} is the project root, where runts runs commands`)
    } else {
      result.kept.push({ node, text: node.text })
    }
  }
  return result
}

function readFunction(node: Node, previous: Node | undefined, text: string): ShellFunction {
  const name = node.childForFieldName('name')!.text
  const bodyNode = node.childForFieldName('body')
  const body = bodyNode?.type === 'compound_statement' ? kids(bodyNode) : bodyNode ? [bodyNode] : []
  const first = body[0]
  // `function build { ## Build it` or a `##` line first in the body; else the comments right above.
  const doc =
    first?.type === 'comment' && (first.startPosition.row === node.startPosition.row || first.text.startsWith('##')) ? first : undefined
  const description = doc ? commentText([doc]) : commentText(commentsAbove(node, previous, text))
  return { name, node, body: doc ? body.slice(1) : body, description: description || undefined }
}

/** The block of `#` lines that ends on the line right above `node`. */
function commentsAbove(node: Node, previous: Node | undefined, text: string): Node[] {
  if (previous?.type !== 'comment' || previous.endPosition.row !== node.startPosition.row - 1) return []
  const lines: Node[] = [previous]
  let at = previous.previousNamedSibling
  while (at?.type === 'comment' && at.endPosition.row === lines[0]!.startPosition.row - 1) {
    lines.unshift(at)
    at = at.previousNamedSibling
  }
  // A comment that follows code on its own line (`x=1 # note`) is that code's.
  const lineStart = text.lastIndexOf('\n', lines[0]!.startIndex - 1) + 1
  if (text.slice(lineStart, lines[0]!.startIndex).trim() !== '') lines.shift()
  return lines
}

function commentText(comments: Node[]): string {
  return comments
    .map((c) => c.text.replace(/^#+!?\s?/, '').trim())
    .filter((line) => line !== '' && !/^(shellcheck |\/)/.test(line) && /[A-Za-z0-9]/.test(line))
    .join(' ')
}

function oneLine(text: string): string {
  const lines = text.trim().split('\n')
  return lines.length > 1 ? `${lines[0]} …` : lines[0]!
}
