/**
 * A run.sh function read with its description: a `## doc` comment on its
 * first line, else the comment lines right above it, else those that open its
 * body, as people write them over each style of task file.
 */
import { kids, type Node } from './bash-parser.js'
import type { ShellFunction } from './shell-file.js'

/** A function: its name, body and description (from `## doc` or the comments above it or opening its body). */
export function readFunction(node: Node, previous: Node | undefined, text: string): ShellFunction {
  const name = node.childForFieldName('name')!.text
  const bodyNode = node.childForFieldName('body')
  const body = bodyNode?.type === 'compound_statement' ? kids(bodyNode) : bodyNode ? [bodyNode] : []
  const first = body[0]
  // `function build { ## Build it` or a `##` line first in the body; else the comments right above; else
  // the comment lines that open the body (`function lint {\n  # Lint the code`).
  const doc =
    first?.type === 'comment' && (first.startPosition.row === node.startPosition.row || first.text.startsWith('##')) ? [first] : []
  const above = doc.length > 0 ? [] : commentsAbove(node, previous, text)
  const opening = doc.length > 0 || above.length > 0 ? [] : openingComments(node, body)
  const description = commentText(doc.length > 0 ? doc : above.length > 0 ? above : opening)
  return { name, node, body: body.slice(doc.length + opening.length), description: description || undefined }
}

/** The block of `#` lines that starts on the line after the function's first. */
function openingComments(node: Node, body: Node[]): Node[] {
  const lines: Node[] = []
  for (const statement of body) {
    const row = lines.length === 0 ? node.startPosition.row : lines.at(-1)!.endPosition.row
    if (statement.type !== 'comment' || statement.startPosition.row !== row + 1) break
    lines.push(statement)
  }
  return lines
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
