/**
 * A compiled set of globs (from the project root, `!pattern` excludes): the
 * one answer to "which files are a task's inputs" (or outputs), asked by the
 * fingerprint (`walk`), by `run --watch` (`matches`, `roots`, `mayHold`) and by
 * `run --why` (`matches`, for files a dep will restore), so that the three
 * never disagree. A pattern without glob characters names a file, or a folder
 * and everything in it. `.git/` and `node_modules/` hold no match unless a
 * pattern names them. An excluded folder keeps everything in it out.
 */
import { anyMatches, type Rule, reachesUnder, rule } from './rule.js'
import { roots, type Visit, walkFiles } from './walk.js'

export type { Visit } from './walk.js'

/** A file the walk found, as it was then. */
export interface FoundFile {
  file: string
  size: number
  mtimeMs: number
  ctimeMs: number
  ino: number
}

const HIDDEN_NAMES = new Set(['node_modules', '.git'])

export class InputSet {
  private readonly include: Rule[] = []
  private readonly skip: Rule[] = []

  /** `patterns` (with `!` excludes), less what `exclude` (more globs, e.g. the task's outputs) names. */
  constructor(
    readonly patterns: readonly string[],
    readonly exclude: readonly string[] = [],
  ) {
    for (const raw of patterns) (raw.startsWith('!') ? this.skip : this.include).push(rule(raw.startsWith('!') ? raw.slice(1) : raw))
    for (const raw of exclude) this.skip.push(rule(raw))
  }

  /** Whether the walk would take this path (relative to the root, with `/`), were it a file. */
  matches(file: string): boolean {
    const hidden = file.split('/').some((part) => HIDDEN_NAMES.has(part))
    if (!anyMatches(this.include, file, hidden)) return false
    return !this.excludes(file)
  }

  /** Whether a file at or under this folder may match: `run --watch` descends only into these. */
  mayHold(dir: string): boolean {
    if (dir === '') return this.include.length > 0
    if (this.excludes(dir)) return false
    const hidden = dir.split('/').some((part) => HIDDEN_NAMES.has(part))
    return this.include.some((r) => (!hidden || r.hidden) && reachesUnder(r, dir))
  }

  /** Where matches can be: the fixed start of each pattern (`src` for `src/**`, '' for `**` / *.ts), none inside another. */
  roots(): string[] {
    return roots(this.include.map((r) => r.base))
  }

  /** Each file on disk under `root` that it names, in path order (`<` on the paths), with its stat. */
  walk(root: string, visit: Visit): void {
    walkFiles(root, this.include, this.skip, visit)
  }

  /** The files on disk under `root` that it names, in path order, each with its size, times and inode. */
  files(root: string): FoundFile[] {
    const out: FoundFile[] = []
    this.walk(root, (file, { size, mtimeMs, ctimeMs, ino }) => out.push({ file, size, mtimeMs, ctimeMs, ino }))
    return out
  }

  /** The folder, or one on the way to it, is excluded. */
  private excludes(file: string): boolean {
    if (this.skip.length === 0) return false
    let at = ''
    for (const part of file.split('/')) {
      at = at === '' ? part : `${at}/${part}`
      if (anyMatches(this.skip, at)) return true
    }
    return false
  }
}
