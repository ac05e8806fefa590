/**
 * Where an entry may write: only files that the task's `outputs` match,
 * inside the project, never under `.git/` (a hook there runs on the next
 * commit), never through a folder that leads out of the project. An entry
 * from a shared cache is written by whoever holds its token (or signing key),
 * so every path it names is checked here before anything is written; an
 * entry that names any other path is refused whole.
 */
import { lstatSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import type { InputSet } from '../inputs/input-set.js'

/**
 * A path an entry names, as a warning may show it: an entry from a shared cache is anyone's text, so
 * anything but plain printable ASCII is escaped (no terminal control, no bidi override), and a long one
 * is cut.
 */
export function shownPath(file: unknown): string {
  const text = typeof file === 'string' ? file : String(file)
  const cut = text.length > 200 ? text.slice(0, 200) : text
  const more = cut.length < text.length ? '…' : ''
  if (cut !== '' && /^[\w./@+,=:~ -]*$/.test(cut)) return `${cut}${more}`
  return `${JSON.stringify(cut).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}${more}`
}

/** Why an entry may not write `file` (a path from the project root): `it would write …, under .git/`; undefined when it may. */
export function refusedPath(file: unknown, outputs: InputSet): string | undefined {
  if (typeof file !== 'string' || file === '' || file.includes('\0') || file.includes('\\')) {
    return `it names ${shownPath(file)}, which is not a file path`
  }
  const parts = file.split('/')
  if (path.isAbsolute(file) || parts.some((part) => part === '' || part === '.' || part === '..')) {
    return `it would write ${shownPath(file)}, outside the project`
  }
  if (parts.includes('.git')) return `it would write ${shownPath(file)}, under .git/`
  if (!outputs.matches(file))
    return `it would write ${shownPath(file)}, which the task's outputs (${outputs.patterns.join(', ')}) do not name`
  return undefined
}

/**
 * The files' folders as they are on disk now: why a restore cannot write there (one of them leads out of
 * the project or into `.git/`, is a file, or is a link to nothing, which no folder can be made through),
 * or undefined. The restore itself makes the folders that are missing.
 */
export function refusedFolders(root: string, files: readonly string[]): string | undefined {
  const realRoot = realpathSync(root)
  const checked = new Set<string>()
  for (const file of files) {
    for (let dir = path.dirname(file); dir !== '.' && !checked.has(dir); dir = path.dirname(dir)) {
      checked.add(dir)
      let real: string
      try {
        real = realpathSync(path.join(root, dir))
      } catch {
        if (isLink(path.join(root, dir))) return `${dir} is a link to nothing`
        continue // not there yet: made by the restore, under a folder checked on the way up
      }
      const inside = path.relative(realRoot, real)
      if (inside.startsWith('..') || path.isAbsolute(inside)) return `${dir} leads out of the project`
      if (inside.split(path.sep).includes('.git')) return `${dir} leads into .git/`
      if (!statSync(real).isDirectory()) return `${dir} is a file, not a folder`
    }
  }
  return undefined
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink()
  } catch {
    return false
  }
}

/**
 * The first of these files (paths from the root, as the outputs' walk found them, links followed) that is
 * really outside the project or in its `.git/`: a link in `dist/` to `~/.npmrc` or `.git/config`. Its
 * content is not the project's output, and an entry goes to the shared cache, where everyone with its
 * token can read it.
 */
export function linkedOut(root: string, files: readonly string[]): string | undefined {
  const realRoot = realpathSync(root)
  for (const file of files) {
    const inside = path.relative(realRoot, realpathSync.native(path.join(root, file)))
    if (inside.startsWith('..') || path.isAbsolute(inside) || inside.split(path.sep).includes('.git')) return file
  }
  return undefined
}
