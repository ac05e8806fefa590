/**
 * What an artifact from a shared cache must be before anything of it is
 * used: its archive holds only the entry's own files, and under `outputs/`
 * only plain files the task's outputs name (confine.ts) and the folders they
 * are in; its description matches its key, names only such files and lists
 * every file it holds; each file matches its size and hash. Anyone with the team's token can upload
 * under any key, so nothing here trusts the artifact.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { hashFile, hashOf } from '../fingerprint/hash.js'
import type { InputSet } from '../inputs/input-set.js'
import { refusedPath, shownPath } from '../store/confine.js'
import { checkMeta } from '../store/entries.js'
import { ENTRY_FORMAT, type EntryMeta, OUTPUTS_DIR } from '../store/entry-format.js'

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile'])

/**
 * Why an entry of an artifact's archive (its path as written there) may not be unpacked: only the
 * entry's own files, and under `outputs/` plain files the task's outputs match (and folders, which hold
 * nothing by themselves). No link, no device, no path out of the folder, nothing under `.git/`.
 */
export function refusedEntry(entry: string, type: string | undefined, outputs: InputSet): string | undefined {
  const isFile = type !== undefined && FILE_TYPES.has(type)
  const isDir = type === 'Directory'
  if (!isFile && !isDir) return `it holds ${shownPath(entry)}, a ${shownPath(type ?? 'strange entry')}, not a file`
  const name = isDir ? entry.replace(/\/+$/, '') : entry
  if (name === OUTPUTS_DIR) return isDir ? undefined : `it holds ${OUTPUTS_DIR} as a file`
  if (name === 'meta.json' || name === 'output.log') return isFile ? undefined : `it holds ${name} as a folder`
  if (!name.startsWith(`${OUTPUTS_DIR}/`)) return `it holds ${shownPath(entry)}, which is not part of an entry`
  const file = name.slice(OUTPUTS_DIR.length + 1)
  if (isFile) return refusedPath(file, outputs)
  if (path.isAbsolute(file) || file.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    return `it holds the folder ${shownPath(file)}, outside the project`
  }
  return undefined
}

/** The description of an entry built elsewhere (a shared-cache artifact), once its files check out against it; and its size. */
export function verifyEntry(dir: string, key: string, outputs: InputSet): { meta: EntryMeta; bytes: number } {
  // Read whole, so bounded: a description of 100,000 files is about 15 MiB, a log at most 16 MiB and a note.
  for (const [name, max] of [
    ['meta.json', 64],
    ['output.log', 32],
  ] as const) {
    const size = lstatSync(path.join(dir, name), { throwIfNoEntry: false })?.size
    if (size === undefined) throw new Error(`it lacks ${name}`)
    if (size > max * 1024 * 1024) throw new Error(`its ${name} is larger than ${max} MiB`)
  }
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as EntryMeta
  if (meta.format !== ENTRY_FORMAT || meta.key !== key) throw new Error('its description does not match')
  const refused = checkMeta(meta, outputs) ?? unlisted(path.join(dir, OUTPUTS_DIR), meta)
  if (refused) throw new Error(refused)
  let bytes = 0
  for (const output of meta.outputs) {
    const copy = path.join(dir, OUTPUTS_DIR, output.file)
    const stat = lstatSync(copy, { throwIfNoEntry: false })
    if (!stat?.isFile()) throw new Error(`it lacks ${shownPath(output.file)}`)
    if (stat.size !== output.size || hashFile(copy) !== output.hash) throw new Error(`${shownPath(output.file)} does not match its hash`)
    bytes += output.size
  }
  const log = readFileSync(path.join(dir, 'output.log'))
  if (hashOf(log) !== meta.log) throw new Error('its output log does not match its hash')
  return { meta, bytes: bytes + log.length }
}

/**
 * Why `outputs/` holds what the description does not list (a file, or a folder on the way to none), or
 * undefined. Such a file is never restored, but it would stay in the local store uncounted: a small
 * artifact that unpacks to a gigabyte of unlisted zeros would grow the store past its bound.
 */
function unlisted(dir: string, meta: EntryMeta): string | undefined {
  const files = new Set(meta.outputs.map(({ file }) => file))
  const folders = new Set<string>()
  for (const file of files) for (let at = file.lastIndexOf('/'); at > 0; at = file.lastIndexOf('/', at - 1)) folders.add(file.slice(0, at))
  const walk = (folder: string): string | undefined => {
    for (const entry of readdirSync(folder === '' ? dir : path.join(dir, folder), { withFileTypes: true })) {
      const file = folder === '' ? entry.name : `${folder}/${entry.name}`
      const isDir = entry.isDirectory()
      if (!(isDir ? folders.has(file) : files.has(file))) return `it holds ${shownPath(file)}, which its description does not list`
      const inside = isDir ? walk(file) : undefined
      if (inside) return inside
    }
    return undefined
  }
  return walk('')
}
