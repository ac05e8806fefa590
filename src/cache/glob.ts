/**
 * The files a task's globs name, as sorted paths relative to the project root.
 * `!pattern` excludes; a pattern without glob characters names a file, or a
 * folder and everything in it. `.git/` and `node_modules/` are never entered
 * unless a pattern names them. Links to files count as those files; links to
 * folders are not followed (no cycles).
 *
 * A walk of our own over `readdirSync`, with picomatch's regular expressions
 * to match, and none at all for the common `folder/**`: measured on 1,000 and
 * 10,000 files (bench/cache-check.mjs), tinyglobby and fast-glob cost several
 * times as much, most of it loading and setting up, which an up-to-date check
 * would pay on every run.
 */
import { type Dirent, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type picomatchType from 'picomatch'

let picomatch: typeof picomatchType | undefined
const pm = () => {
  picomatch ??= createRequire(import.meta.url)('picomatch') as typeof picomatchType
  return picomatch
}

/** A pattern that walks into `.git/` or `node_modules/`, because it names one. */
const NAMES_HIDDEN = /(^|\/)(node_modules|\.git)(\/|$)/
const HIDDEN = new Set(['node_modules', '.git'])

/** What one pattern matches: everything under a folder (no expression to test), or what its expression matches. */
interface Rule {
  base: string
  /** `base/`, or '' for the root. */
  prefix: string
  re?: RegExp
  hidden: boolean
}

function rule(pattern: string): Rule {
  const { base, glob } = pm().scan(pattern)
  // `folder/**` and a plain name (a file, or a folder with everything in it) need no expression.
  const re = glob === '**' || glob === '' ? undefined : pm().makeRe(pattern, { dot: true })
  return { base, prefix: base === '' ? '' : `${base}/`, re, hidden: NAMES_HIDDEN.test(pattern) }
}

function matches(rule: Rule, file: string): boolean {
  if (rule.re) return rule.re.test(file)
  return file.startsWith(rule.prefix) || file === rule.base
}

/** Whether any rule matches; `hiddenOnly`: only rules that name `.git/` or `node_modules/` count. Loops, not closures: this runs per file. */
function anyMatches(rules: readonly Rule[], file: string, hiddenOnly = false): boolean {
  for (const r of rules) if ((!hiddenOnly || r.hidden) && matches(r, file)) return true
  return false
}

/** Every file under `root` that the patterns name, less those that `exclude` (more globs) names. */
export function globFiles(root: string, patterns: readonly string[], exclude: readonly string[] = []): string[] {
  const include: Rule[] = []
  const skip: Rule[] = []
  for (const raw of [...patterns, ...exclude.map((p) => `!${p}`)]) {
    if (raw.startsWith('!')) skip.push(rule(normalize(raw.slice(1))))
    else include.push(rule(normalize(raw)))
  }
  const excluded = (file: string) => skip.length > 0 && anyMatches(skip, file)
  const walkHidden = include.some((r) => r.hidden)
  const found = new Set<string>()

  const walk = (dir: string, hidden: boolean, rules: Rule[]): void => {
    let entries: Dirent[]
    try {
      entries = readdirSync(dir === '' ? root : path.join(root, dir), { withFileTypes: true })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') return
      throw error
    }
    for (const entry of entries) {
      const file = dir === '' ? entry.name : `${dir}/${entry.name}`
      const inHidden = hidden || HIDDEN.has(entry.name)
      if (entry.isDirectory()) {
        if ((!inHidden || walkHidden) && !excluded(file)) walk(file, inHidden, rules)
        continue
      }
      if (!anyMatches(rules, file, inHidden) || excluded(file)) continue
      if (!entry.isSymbolicLink() || kindOf(path.join(root, file)) === 'file') found.add(file)
    }
  }

  const walked: string[] = []
  for (const r of include) {
    // A plain name: a file is taken as it is, a folder is walked whole.
    const kind = r.re || r.base === '' ? 'dir' : kindOf(path.join(root, r.base))
    if (kind === 'file' && !excluded(r.base)) found.add(r.base)
    if (kind === 'dir') walked.push(r.base)
  }
  for (const base of roots(walked)) {
    const hidden = base.split('/').some((part) => HIDDEN.has(part))
    walk(
      base,
      hidden,
      include.filter((r) => r.base === '' || base === r.base || r.base.startsWith(`${base}/`) || base.startsWith(`${r.base}/`)),
    )
  }
  return [...found].sort()
}

/** The folders to walk: each base once, none inside another. */
function roots(bases: string[]): string[] {
  const out: string[] = []
  for (const base of [...new Set(bases)].sort()) {
    if (!out.some((r) => r === '' || base === r || base.startsWith(`${r}/`))) out.push(base)
  }
  return out
}

function normalize(pattern: string): string {
  let p = pattern.trim()
  while (p.startsWith('./')) p = p.slice(2)
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p
}

function kindOf(file: string): 'file' | 'dir' | undefined {
  const stat = statSync(file, { throwIfNoEntry: false })
  return stat?.isDirectory() ? 'dir' : stat?.isFile() ? 'file' : undefined
}
