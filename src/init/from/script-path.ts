/**
 * `$0` and `${BASH_SOURCE[0]}` named run.sh while it ran; in a command that
 * runts runs they name bash (or nothing). The code that stays bash gets
 * `./run.sh` instead, as a user called it: runts runs commands in the
 * project root, the original's folder, where it still is.
 */
import { descendants, type Node } from './bash-parser.js'

interface Rewrite {
  start: number
  end: number
  text: string
}

/** The whole script's path: `$0`, `${0}`, `$BASH_SOURCE`, `${BASH_SOURCE[0]}`. */
const PATH = /^\$(0|\{0\}|BASH_SOURCE|\{BASH_SOURCE(\[0\])?\})$/
/** Its folder, as `${0%/*}` or `${BASH_SOURCE[0]%/*}` cut it. */
const FOLDER = /^\$\{(0|BASH_SOURCE(\[0\])?)%\/\*\}$/

/** A function giving the file's text from `start` to `end`, with the script's own path as runts runs it. */
export function scriptPathSource(root: Node, text: string, file: string): (start: number, end: number) => string {
  const rewrites: Rewrite[] = []
  // A name bash would split or expand stays as it was: `$0` then names bash, as it would in any copy.
  const plain = /^[\w.+-]+$/.test(file)
  for (const node of descendants(root)) {
    if (!plain || (node.type !== 'simple_expansion' && node.type !== 'expansion')) continue
    if (PATH.test(node.text)) rewrites.push({ start: node.startIndex, end: node.endIndex, text: `./${file}` })
    else if (FOLDER.test(node.text)) rewrites.push({ start: node.startIndex, end: node.endIndex, text: '.' })
  }
  return (start, end) => {
    let out = ''
    let at = start
    for (const r of rewrites) {
      if (r.start < start || r.end > end) continue
      out += text.slice(at, r.start) + r.text
      at = r.end
    }
    return out + text.slice(at, end)
  }
}
