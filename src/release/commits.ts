/**
 * The commits since a release, read with git and parsed as Conventional
 * Commits by `conventional-commits-parser` (conventional-changelog's own
 * parser), with the Conventional Commits options: `type(scope)!: subject`,
 * `BREAKING CHANGE:` / `BREAKING-CHANGE:` footers. A commit that is not a
 * Conventional Commit asks for nothing, as in python-semantic-release.
 */
import { CommitParser } from 'conventional-commits-parser'
import { git } from './git.js'
import type { Level } from './next-version.js'

export interface ReleaseCommit {
  hash: string
  /** `feat`, `fix`, …; undefined when the message is not a Conventional Commit. */
  type?: string
  scope?: string
  subject: string
  /** The breaking change's note (the footer's text, or the subject for `type!:`), when it has one. */
  breaking?: string
  level: Level
}

const parser = new CommitParser({
  headerPattern: /^(\w*)(?:\((.*)\))?!?: (.*)$/,
  breakingHeaderPattern: /^(\w*)(?:\((.*)\))?!: (.*)$/,
  headerCorrespondence: ['type', 'scope', 'subject'],
  noteKeywords: ['BREAKING CHANGE', 'BREAKING-CHANGE'],
  revertPattern: /^(?:Revert|revert:)\s"?([\s\S]+?)"?\s*This reverts commit (\w*)\./i,
  revertCorrespondence: ['header', 'hash'],
  issuePrefixes: ['#'],
})

/** The Conventional Commits types (@commitlint/config-conventional's, as python-semantic-release allows them); `Cache: …` is no type. */
const TYPES = new Set(['build', 'chore', 'ci', 'docs', 'feat', 'fix', 'perf', 'refactor', 'revert', 'style', 'test'])
const MINOR = new Set(['feat'])
const PATCH = new Set(['fix', 'perf'])

/** One commit message, parsed and judged (pure). */
export function parseCommit(hash: string, message: string): ReleaseCommit {
  const parsed = parser.parse(message)
  const type = parsed.type && TYPES.has(parsed.type) ? parsed.type : undefined
  const header = parsed.header ?? message.split('\n')[0] ?? ''
  const note = parsed.notes.find((n) => /^BREAKING[ -]CHANGE$/i.test(n.title))
  const subject = parsed.subject ?? header
  const commit: ReleaseCommit = { hash, subject: type ? subject : header, level: 'none' }
  if (!type) return commit
  commit.type = type
  if (parsed.scope) commit.scope = parsed.scope
  if (note) commit.breaking = note.text.trim() || subject
  commit.level = note ? 'major' : MINOR.has(type) ? 'minor' : PATCH.has(type) ? 'patch' : 'none'
  return commit
}

/** The commits reachable from HEAD and not from `since` (every commit when undefined), newest first. */
export async function commitsSince(cwd: string, since: string | undefined, signal?: AbortSignal): Promise<ReleaseCommit[]> {
  // Unit separator between hash and message, record separator between commits: neither occurs in a message git writes.
  const range = since === undefined ? ['HEAD'] : [`refs/tags/${since}..HEAD`]
  const log = await git(['log', '--format=%H%x1f%B%x1e', ...range, '--'], cwd, signal)
  return log
    .split('\x1e')
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record.includes('\x1f'))
    .map((record) => {
      const [hash, message] = record.split('\x1f') as [string, string]
      return parseCommit(hash, message.trim())
    })
}
