/**
 * Bash, read by tree-sitter-bash (the grammar GitHub and editors use) run by
 * web-tree-sitter. Both are WebAssembly and load on the first parse only, so
 * nothing else in runts pays for them.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import type { Node, Parser } from 'web-tree-sitter'
import { RuntsError } from '../../errors.js'
import { visible } from './literals.js'

export type { Node } from 'web-tree-sitter'

let parser: Promise<Parser> | undefined

function load(): Promise<Parser> {
  parser ??= (async () => {
    // V8 compiles hot WebAssembly again with its optimising compiler in the background, and the process
    // waits for that before it exits: 1.2 s of CPU and 1.5 s of waiting for a parse of a few
    // milliseconds. The baseline compiler alone parses a run.sh as fast. (Only this command runs here.)
    setFlagsFromString('--liftoff-only')
    const { Parser, Language } = await import('web-tree-sitter')
    await Parser.init()
    const instance = new Parser()
    instance.setLanguage(await Language.load(grammarFile()))
    return instance
  })()
  return parser
}

/**
 * The grammar's WebAssembly: in dist/, beside the CLI (scripts/build.mjs copies it there, so that users
 * do not install tree-sitter-bash's C sources and native builds); from the devDependency in the sources.
 */
function grammarFile(): string {
  // This code runs from dist/extras/convert.cjs in the built CLI; the grammar is in dist/.
  const here = path.dirname(fileURLToPath(import.meta.url))
  const shipped = [here, path.dirname(here)].map((dir) => path.join(dir, 'tree-sitter-bash.wasm')).find((file) => existsSync(file))
  return shipped ?? createRequire(import.meta.url).resolve('tree-sitter-bash/tree-sitter-bash.wasm')
}

/** Where a piece of bash was written in a file that is not bash (a Makefile's recipe line, a package.json script). */
export interface Fragment {
  /** Its line in `file` (0 when unknown), and that line's text. */
  line: number
  lineText: string
  /** What it is, in the message: `recipe line`, `script`. */
  what: string
  /** What to do, for this kind of file. */
  hint: string
}

/**
 * The syntax tree of a bash text; a text bash could not run is an error naming the file and line (the
 * line of `fragment` in its file, for bash that a Makefile or a package.json holds).
 */
export async function parseBash(text: string, file: string, fragment?: Fragment): Promise<Node> {
  const tree = (await load()).parse(text)
  const root = tree?.rootNode
  if (!root) throw new RuntsError('convert', `${file}: could not be read as bash`)
  const broken = root.hasError ? firstError(root) : undefined
  if (broken && fragment) {
    const where = fragment.line > 0 ? `${file}:${fragment.line}` : file
    throw new RuntsError('convert', `${where}: bash cannot parse this ${fragment.what}: ${visible(fragment.lineText)}`, {
      hint: fragment.hint,
      location: fragment.line > 0 ? { file, line: fragment.line, column: 1, lineText: visible(fragment.lineText) } : undefined,
    })
  }
  if (broken) {
    const { row, column } = broken.startPosition
    throw new RuntsError('convert', `${file}:${row + 1}:${column + 1}: bash cannot parse this: ${visible(firstLine(broken.text))}`, {
      hint: `check it with: bash -n ${file}`,
      location: { file, line: row + 1, column: column + 1, lineText: visible(text.split('\n')[row] ?? '') },
    })
  }
  return root
}

function firstError(node: Node): Node | undefined {
  if (node.type === 'ERROR' || node.isMissing) return node
  for (const child of node.children) {
    if (child?.hasError || child?.isMissing) return firstError(child) ?? child
  }
  return undefined
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? ''
  return line.length > 60 ? `${line.slice(0, 60)}…` : line || '(missing text)'
}

/** Named children, without the nulls web-tree-sitter's types allow for. */
export function kids(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null)
}

/** Every node under `node` (itself included), depth first. */
export function* descendants(node: Node): Generator<Node> {
  yield node
  for (const child of kids(node)) yield* descendants(child)
}

/** A command's name as written, when it is a plain word (`echo`, `task:build`, `./run.sh`). */
export function commandName(node: Node): string | undefined {
  if (node.type !== 'command') return undefined
  const name = node.childForFieldName('name')
  const word = name ? kids(name)[0] : undefined
  return word?.type === 'word' ? word.text : undefined
}

/** A command's arguments (its words after the name; redirections and assignments are not arguments). */
export function commandArgs(node: Node): Node[] {
  return node.childrenForFieldName('argument').filter((child): child is Node => child !== null)
}
