/**
 * The walk behind an input set: every file under the project root that the
 * include rules name and no exclude rule keeps out, with its size, times and
 * inode, in path order. `.git/` and `node_modules/` are entered only for a
 * rule that names them. A link counts as what it leads to: a file as that
 * file, a folder as that folder (walked under the link's path), except a
 * folder the walk is already inside (a loop).
 *
 * A walk of our own over `readdirSync`: measured on 1,000 and 10,000 files
 * (bench/cache-check.mjs), tinyglobby and fast-glob cost several times as
 * much, most of it loading and setting up, which an up-to-date check would
 * pay on every run. Inside a folder that a `folder/**` covers and no exclude
 * reaches, files are taken without testing any pattern.
 */
import { type Dirent, lstatSync, readdirSync, realpathSync, type Stats, statSync } from 'node:fs'
import path from 'node:path'
import { anyMatches, covers, type Rule, reachesUnder } from './rule.js'

const HIDDEN = new Set(['node_modules', '.git'])
/** One options object for every stat of a walk (10,000 files, 10,000 fewer objects). */
const NO_THROW = { throwIfNoEntry: false } as const

/** A file an input set names, as it was when the walk found it. */
export interface FoundFile {
  file: string
  size: number
  mtimeMs: number
  /** Changes whenever the file is written, renamed or its times set: a pinned mtime cannot hide a change from it. */
  ctimeMs: number
  ino: number
}

/** Every file under `root` that `include` names and `skip` does not, sorted. */
export function walkFiles(root: string, include: readonly Rule[], skip: readonly Rule[]): FoundFile[] {
  const excluded = (file: string) => skip.length > 0 && anyMatches(skip, file)
  const walkHidden = include.some((r) => r.hidden)
  const found: FoundFile[] = []
  const take = (file: string, stat: Stats | undefined) => {
    if (stat?.isFile()) found.push({ file, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino })
  }
  /** The real paths of the folders the walk entered through links, innermost last. */
  const inside: string[] = []
  /**
   * A link to a folder: walked (by `into`) unless that would be a loop: the link leads to the folder it
   * is in or one above it, or to a folder the walk already entered through a link.
   */
  const throughLink = (absolute: string, into: () => void) => {
    let real: string
    let here: string
    try {
      real = realpathSync(absolute)
      here = realpathSync(path.dirname(absolute))
    } catch {
      return
    }
    if (here === real || here.startsWith(`${real}${path.sep}`) || inside.includes(real)) return
    inside.push(real)
    try {
      into()
    } finally {
      inside.pop()
    }
  }

  const walk = (dir: string, hidden: boolean, all: boolean): void => {
    all ||= include.some((r) => (!hidden || r.hidden) && covers(r, dir)) && !skip.some((r) => reachesUnder(r, dir))
    const absolute = dir === '' ? root : `${root}${path.sep}${dir}`
    if (all) {
      walkAll(dir, absolute, hidden)
      return
    }
    let entries: Dirent[]
    try {
      entries = readdirSync(absolute, { withFileTypes: true })
    } catch (error) {
      gone(error)
      return
    }
    for (const entry of entries) {
      const file = dir === '' ? entry.name : `${dir}/${entry.name}`
      const entering = !hidden && HIDDEN.has(entry.name)
      let isDir = entry.isDirectory()
      let stat: Stats | undefined
      if (entry.isSymbolicLink()) {
        stat = statSync(`${root}${path.sep}${file}`, NO_THROW)
        isDir = stat?.isDirectory() ?? false
      }
      if (isDir) {
        // Into .git/ or node_modules/ only for a rule that names them (which `all` does not stand for).
        if (entering && !walkHidden) continue
        if (excluded(file) || !include.some((r) => (!(hidden || entering) || r.hidden) && reachesUnder(r, file))) continue
        if (entry.isSymbolicLink()) throughLink(`${root}${path.sep}${file}`, () => walk(file, hidden || entering, false))
        else walk(file, hidden || entering, false)
        continue
      }
      if (!anyMatches(include, file, hidden || entering) || excluded(file)) continue
      take(file, stat ?? statSync(`${root}${path.sep}${file}`, NO_THROW))
    }
  }

  /** Every file under `dir` is taken (a covering rule, no exclude within), but never .git/ or node_modules/. */
  const walkAll = (dir: string, absolute: string, hidden: boolean): void => {
    let names: string[]
    try {
      names = readdirSync(absolute)
    } catch (error) {
      gone(error)
      return
    }
    for (const name of names) {
      if (!hidden && HIDDEN.has(name)) {
        if (walkHidden) walk(dir === '' ? name : `${dir}/${name}`, true, false)
        continue
      }
      const file = dir === '' ? name : `${dir}/${name}`
      const full = `${absolute}${path.sep}${name}`
      const stat = lstatSync(full, NO_THROW)
      if (stat?.isDirectory()) walkAll(file, full, hidden)
      else if (stat?.isSymbolicLink()) {
        const target = statSync(full, NO_THROW)
        if (target?.isDirectory()) throughLink(full, () => walkAll(file, full, hidden))
        else take(file, target)
      } else take(file, stat)
    }
  }

  const walked: string[] = []
  for (const r of include) {
    // A plain name: a file is taken as it is, a folder is walked whole.
    const stat = r.re || r.base === '' ? undefined : statSync(path.join(root, r.base), NO_THROW)
    if (stat?.isFile() && !excluded(r.base)) take(r.base, stat)
    if (r.re || r.base === '' || stat?.isDirectory()) walked.push(r.base)
  }
  for (const base of roots(walked)) {
    if (base !== '' && excludedOnTheWay(base, excluded)) continue
    const hidden = base.split('/').some((part) => HIDDEN.has(part))
    const start = () => walk(base, hidden, false)
    // A base reached through a link (`src` -> ../shared/src) is a link like any other.
    if (base !== '' && lstatSync(path.join(root, base), NO_THROW)?.isSymbolicLink()) throughLink(path.join(root, base), start)
    else start()
  }
  return sortedUnique(found)
}

/** Whether a folder or one on the way to it is excluded: nothing under it is taken. */
function excludedOnTheWay(dir: string, excluded: (file: string) => boolean): boolean {
  let at = ''
  for (const part of dir.split('/')) {
    at = at === '' ? part : `${at}/${part}`
    if (excluded(at)) return true
  }
  return false
}

/** A folder that went away or is a file since it was listed: nothing in it. */
function gone(error: unknown): void {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR') return
  throw error
}

/** In path order, each file once (a plain name and a walk may both find it). */
function sortedUnique(found: FoundFile[]): FoundFile[] {
  found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  let n = 0
  for (const f of found) if (n === 0 || found[n - 1]!.file !== f.file) found[n++] = f
  found.length = n
  return found
}

/** The folders to walk: each base once, none inside another. */
export function roots(bases: readonly string[]): string[] {
  const out: string[] = []
  for (const base of [...new Set(bases)].sort()) {
    if (!out.some((r) => r === '' || base === r || base.startsWith(`${r}/`))) out.push(base)
  }
  return out
}
