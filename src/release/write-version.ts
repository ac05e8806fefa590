/**
 * Writing a new version where the project keeps it: pyproject.toml's
 * `[project]` (or Poetry's `[tool.poetry]`) `version`, edited in place so that
 * comments and layout stay; package.json and its lock (`package-lock.json`,
 * `npm-shrinkwrap.json`: their own `version` and the root package's), with
 * their indentation. Each edit is read back before anything is written.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { writeAtomic } from '../util/fs.js'

/**
 * pyproject.toml's text with the version of `table` (`project` or `tool.poetry`) set to `version`. The
 * line is found by its form, and the edit kept only when the file then reads back as before but for that
 * version: a `version = "…"` line inside a multi-line string is not the version.
 */
export async function setPyprojectVersion(text: string, table: 'project' | 'tool.poetry', version: string): Promise<string> {
  // Loaded here, not before: only `run version` writes TOML.
  const { parse } = await import('smol-toml')
  const expected = JSON.stringify(withVersion(parse(text), table, version))
  const lines = text.split('\n')
  let current = ''
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*\[([^\]]+)\]\s*(?:#.*)?$/.exec(lines[i]!)
    if (header) {
      current = header[1]!.replace(/\s+/g, '')
      continue
    }
    if (current !== table) continue
    const m = /^(\s*version\s*=\s*)(["'])[^"'\n]*\2(.*)$/.exec(lines[i]!)
    if (!m) continue
    const edited = [...lines.slice(0, i), `${m[1]}${m[2]}${version}${m[2]}${m[3]}`, ...lines.slice(i + 1)].join('\n')
    if (readsAs(parse, edited, expected)) return edited
  }
  throw new Error(`pyproject.toml has no version = "…" line in [${table}] to write ${version} into`)
}

/** The parsed document with the table's version set (a copy). */
function withVersion(doc: Record<string, unknown>, table: 'project' | 'tool.poetry', version: string): Record<string, unknown> {
  // Through JSON, as the edited file is compared: TOML dates stay as they print.
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>
  const target = table.split('.').reduce<Record<string, unknown>>((t, key) => (t[key] ?? {}) as Record<string, unknown>, copy)
  target.version = version
  return copy
}

function readsAs(parse: (text: string) => Record<string, unknown>, text: string, expected: string): boolean {
  try {
    return JSON.stringify(parse(text)) === expected
  } catch {
    return false
  }
}

/** A JSON document's text with `edit` applied, in the indentation it was written with (pure). */
export function editJson(text: string, edit: (doc: Record<string, unknown>) => void): string {
  const doc = JSON.parse(text) as Record<string, unknown>
  edit(doc)
  const indent = /^\{\r?\n([ \t]+)"/.exec(text)?.[1] ?? '  '
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const out = JSON.stringify(doc, null, indent).replace(/\n/g, eol)
  return text.endsWith('\n') ? `${out}${eol}` : out
}

/** The files npm keeps the version in, besides package.json. */
const NPM_LOCKS = ['package-lock.json', 'npm-shrinkwrap.json']

/** The new text of each file that holds the version (not written yet): pyproject.toml, or package.json and its locks. */
export async function versionEdits(
  root: string,
  kind: 'python' | 'npm',
  version: string,
  table?: 'project' | 'tool.poetry',
): Promise<Map<string, string>> {
  const edits = new Map<string, string>()
  const read = (name: string) => readFileSync(path.join(root, name), 'utf8')
  if (kind === 'python') {
    edits.set('pyproject.toml', await setPyprojectVersion(read('pyproject.toml'), table ?? 'project', version))
    return edits
  }
  edits.set(
    'package.json',
    editJson(read('package.json'), (doc) => {
      doc.version = version
    }),
  )
  for (const lock of NPM_LOCKS) {
    if (!existsSync(path.join(root, lock))) continue
    edits.set(
      lock,
      editJson(read(lock), (doc) => {
        if ('version' in doc) doc.version = version
        const packages = doc.packages as Record<string, Record<string, unknown>> | undefined
        if (packages?.[''] && typeof packages[''] === 'object') packages[''].version = version
      }),
    )
  }
  return edits
}

/** Writes each edit (atomically: a reader never sees half a file). */
export function writeEdits(root: string, edits: ReadonlyMap<string, string>): void {
  for (const [name, text] of edits) writeAtomic(path.join(root, name), text)
}
