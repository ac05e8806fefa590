/**
 * The check that the git working tree is clean: what gets built and released
 * is what is committed (an untracked file can land in an sdist).
 */
import { type Check, describedAs, listSome, projectRoot } from './check.js'
import { GIT_CLEAN } from './describe.js'
import { git } from './git.js'

export interface GitCleanOptions {
  /** Count untracked (not ignored) files as changes; true. */
  untracked?: boolean | undefined
  /** The repository; the project root by default. */
  cwd?: string | undefined
}

/** A check: the working tree has no uncommitted change (and no untracked file, unless `untracked: false`). */
export function gitClean(options: GitCleanOptions = {}): Check {
  return describedAs(GIT_CLEAN, async (context) => {
    const cwd = options.cwd ?? projectRoot(context)
    const untracked = options.untracked === false ? 'no' : 'normal'
    const status = await git(['status', '--porcelain=v1', '-z', `--untracked-files=${untracked}`], cwd, context?.signal)
    const changes = parseStatus(status)
    if (changes.length === 0) return undefined
    const stash = options.untracked === false ? 'git stash' : 'git stash --include-untracked'
    return (
      `the git working tree is not clean: ${listSome(changes)}. ` +
      `Commit or stash them (${stash})${options.untracked === false ? '' : ', or list them in .gitignore'}, so that what is released is what is committed`
    )
  })
}

/** `git status --porcelain=v1 -z` -> `path (what)` for each entry. */
export function parseStatus(output: string): string[] {
  const fields = output.split('\0')
  const changes: string[] = []
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i]!
    if (entry.length < 4) continue
    const xy = entry.slice(0, 2)
    const file = entry.slice(3)
    // A rename or copy is followed by its source path in the next field.
    if (xy.includes('R') || xy.includes('C')) i++
    changes.push(`${file} (${describe(xy)})`)
  }
  return changes
}

function describe(xy: string): string {
  if (xy === '??') return 'untracked'
  if (xy.includes('U') || xy === 'AA' || xy === 'DD') return 'unmerged'
  if (xy.includes('D')) return 'deleted'
  if (xy.includes('R')) return 'renamed'
  if (xy.includes('C')) return 'copied'
  if (xy[0] === 'A') return 'added'
  return 'modified'
}
