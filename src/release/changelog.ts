/**
 * CHANGELOG.md: a section per release, newest at the top, headed `## X.Y.Z`,
 * the commits grouped by kind (breaking changes first). Written by
 * `run version`, read back by `run publish:github` for the release's notes.
 * Pure: text in, text out.
 */
import type { ReleaseCommit } from './commits.js'

export const CHANGELOG_FILE = 'CHANGELOG.md'

/** The kinds a section lists, in order, with their headings; other kinds go under "Other changes". */
const GROUPS: ReadonlyArray<[string, string]> = [
  ['feat', 'Features'],
  ['fix', 'Bug fixes'],
  ['perf', 'Performance'],
  ['revert', 'Reverts'],
  ['docs', 'Documentation'],
  ['refactor', 'Refactoring'],
]

const HEADER = `# Changelog

Each section is written by \`run version\` from the Conventional Commits since the release before it.
`

/** A release's section: `## X.Y.Z`, its date, then its commits by kind. */
export function renderSection(version: string, date: Date, commits: readonly ReleaseCommit[]): string {
  const lines = [`## ${version}`, '', `_${date.toISOString().slice(0, 10)}_`]
  const entry = (c: ReleaseCommit, text: string) =>
    `- ${c.scope ? `**${oneLine(c.scope)}:** ` : ''}${oneLine(text)} (${c.hash.slice(0, 7)})`
  const breaking = commits.filter((c) => c.breaking !== undefined)
  if (breaking.length > 0) lines.push('', '### Breaking changes', '', ...breaking.map((c) => entry(c, c.breaking!)))
  const conventional = commits.filter((c) => c.type !== undefined && !isReleaseCommit(c))
  const known = new Set(GROUPS.map(([type]) => type))
  for (const [type, heading] of GROUPS) {
    const of = conventional.filter((c) => c.type === type)
    if (of.length > 0) lines.push('', `### ${heading}`, '', ...of.map((c) => entry(c, c.subject)))
  }
  const others = conventional.filter((c) => !known.has(c.type!))
  const other = (c: ReleaseCommit) => `- ${c.type}${c.scope ? `(${oneLine(c.scope)})` : ''}: ${oneLine(c.subject)} (${c.hash.slice(0, 7)})`
  if (others.length > 0) lines.push('', '### Other changes', '', ...others.map(other))
  if (breaking.length + conventional.length === 0) lines.push('', 'No changes listed: the release was asked for by hand.')
  return `${lines.join('\n')}\n`
}

/** The changelog with `section` on top (below the file's own title and introduction); a new file when there is none. */
export function prependSection(changelog: string | undefined, section: string): string {
  const text = changelog ?? HEADER
  const first = /^## /m.exec(text)
  if (first === null) return `${text.replace(/\n*$/, '\n\n')}${section}`
  return `${text.slice(0, first.index)}${section}\n${text.slice(first.index)}`
}

/** The section of `version` (without its heading and date line), or undefined when the changelog has none. */
export function sectionOf(changelog: string, version: string): string | undefined {
  const lines = changelog.split(/\r?\n/)
  const start = lines.findIndex((line) => line.trim() === `## ${version}` || line.startsWith(`## ${version} `))
  if (start === -1) return undefined
  let end = lines.findIndex((line, i) => i > start && /^## /.test(line))
  if (end === -1) end = lines.length
  const body = lines.slice(start + 1, end)
  // The date line the section starts with is the release's date, which GitHub shows anyway.
  const dateAt = body.findIndex((line) => line.trim() !== '')
  if (dateAt !== -1 && /^_\d{4}-\d{2}-\d{2}_$/.test(body[dateAt]!.trim())) body.splice(dateAt, 1)
  return body.join('\n').trim()
}

/** `chore(release): vX.Y.Z`, the commit `run version` makes: not a change to list. */
export function isReleaseCommit(commit: ReleaseCommit): boolean {
  return commit.type === 'chore' && commit.scope === 'release' && /^v\d/.test(commit.subject)
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}
