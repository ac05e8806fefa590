/**
 * `run version`: the next version from the commits since the latest `v*` tag
 * (or the bump or version asked for), written where the project keeps it,
 * a CHANGELOG.md section on top, the commit `chore(release): vX.Y.Z` and the
 * annotated tag `vX.Y.Z`. It pushes nothing. Under GitHub Actions it also
 * sets the step's outputs `released`, `version` and `tag`, so that a
 * workflow goes on only when there is a release.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type SemVer from 'semver/classes/semver.js'
import { writeAtomic } from '../util/fs.js'
import { CHANGELOG_FILE, isReleaseCommit, prependSection, renderSection } from './changelog.js'
import { type CheckContext, projectRoot, taskEnv } from './check.js'
import type { Level } from './commits.js'
import { commitsSince, type ReleaseCommit } from './commits.js'
import { git } from './git.js'
import { gitClean } from './git-clean.js'
import { increment, maxLevel, releaseBases, type TaggedVersion } from './next-version.js'
import { readProject } from './project.js'
import { formatVersion, parseVersion, tokenFor } from './versions.js'
import { versionEdits, writeEdits } from './write-version.js'

export interface VersionOptions {
  /** `patch`, `minor`, `major`, `prerelease`, or a version (`1.2.0`, `1.2.0rc1`); empty: what the commits ask for. */
  bump?: string | undefined
  /** The prerelease's name for `prerelease`: `rc` (the default), `beta`, `alpha`… */
  preid?: string | undefined
  /** Which project file holds the version when both are there. */
  kind?: 'python' | 'npm' | undefined
  /** The project root; the running task's by default. */
  cwd?: string | undefined
  /** The changelog's date; SOURCE_DATE_EPOCH, else today. */
  date?: Date | undefined
  signal?: AbortSignal | undefined
}

export interface VersionPlan {
  /** As the project writes it: `1.2.0rc1` in a Python project, `1.2.0-rc.1` in an npm one. */
  version: string
  tag: string
  /** The release it follows (its tag), if any. */
  previous?: string | undefined
  /** Why this version: `minor: 1 feat, 2 fix since v1.1.0`, `asked for: patch`. */
  reason: string
  /** The CHANGELOG.md section. */
  section: string
  /** What it writes, from the project root. */
  files: string[]
  commits: ReleaseCommit[]
}

const BUMPS = ['patch', 'minor', 'major'] as const

/** What `run version` would do, or undefined when no commit calls for a release. Writes nothing. */
export async function planVersion(options: VersionOptions = {}, context?: CheckContext): Promise<VersionPlan | undefined> {
  const cwd = options.cwd ?? projectRoot(context)
  const signal = options.signal ?? context?.signal
  const project = await readProject(cwd, options.kind)
  const kind = project.kind
  if (project.versionFrom === 'unknown') {
    throw new Error(`${path.basename(project.file)} has a dynamic version that runts cannot write: write it by hand, then tag it`)
  }
  const bump = (options.bump ?? '').trim()
  const prerelease = bump === 'prerelease' ? { token: tokenFor(options.preid || 'rc', kind) } : undefined
  const tags = await reachableTags(cwd, signal)
  const bases = releaseBases(tags, prerelease)
  const commits = await commitsSince(cwd, bases.latest?.tag, signal)
  const since = bases.latest ? ` since ${bases.latest.tag}` : ' since the first commit (no v* tag yet)'
  let next: SemVer
  let reason: string
  if (bump === '' || bump === 'prerelease') {
    const level = maxLevel(commits.filter((c) => !isReleaseCommit(c)).map((c) => c.level))
    if (level === 'none') return undefined
    next = increment(bases, level, prerelease)
    // Below 1.0.0 a breaking change bumps the minor: say the bump made, and why.
    const made = level === 'major' && (bases.full?.version.major ?? 0) === 0 ? 'minor, a breaking change below 1.0.0' : level
    reason = `${made}: ${tally(commits)}${since}`
  } else if ((BUMPS as readonly string[]).includes(bump)) {
    next = increment(bases, bump as Exclude<Level, 'none'>)
    reason = `asked for: ${bump}${since}`
  } else {
    const given = parseVersion(bump)
    if (given === undefined) {
      throw new Error(
        `'${bump}' is neither patch, minor, major, prerelease nor a version: run version [patch|minor|major|prerelease|X.Y.Z]`,
      )
    }
    const latest = [...tags].sort((a, b) => b.version.compare(a.version))[0]
    if (latest && given.compare(latest.version) <= 0) {
      throw new Error(`${bump} is not above the latest release, ${latest.tag}: give a higher version`)
    }
    next = given
    reason = `asked for: ${bump}`
  }
  const version = formatVersion(next, kind)
  if (project.versionFrom === 'file' && tags.length === 0) refuseGoingBack(project.version, next, version, path.basename(project.file))
  const tag = `v${version}`
  await refuseExistingTag(tag, cwd, signal)
  refuseUntaggedRelease(tag, commits)
  const section = renderSection(version, options.date ?? sourceDate(taskEnv(context)) ?? new Date(), commits)
  const files = project.versionFrom === 'file' ? [...(await versionEdits(cwd, kind, version, project.table)).keys()] : []
  return { version, tag, previous: bases.latest?.tag, reason, section, files: [...files, CHANGELOG_FILE], commits }
}

/**
 * `run version`: plans, then writes the version and the changelog, commits and tags (pushing nothing).
 * Prints what it did, or `nothing to release`. Refuses a dirty tree before anything.
 */
export async function releaseVersion(options: VersionOptions = {}, context?: CheckContext): Promise<VersionPlan | undefined> {
  const cwd = options.cwd ?? projectRoot(context)
  const signal = options.signal ?? context?.signal
  const dirty = await gitClean({ cwd })(context)
  if (dirty) throw new Error(`${dirty}; nothing was written`)
  const plan = await planVersion({ ...options, cwd }, context)
  const env = taskEnv(context)
  if (plan === undefined) {
    console.log('nothing to release: no commit since the latest release is a feat, fix, perf or breaking change')
    stepOutputs(env, { released: 'false' })
    return undefined
  }
  const project = await readProject(cwd, options.kind)
  if (project.versionFrom === 'file') writeEdits(cwd, await versionEdits(cwd, project.kind, plan.version, project.table))
  const changelog = path.join(cwd, CHANGELOG_FILE)
  writeAtomic(changelog, prependSection(existsSync(changelog) ? readFileSync(changelog, 'utf8') : undefined, plan.section))
  const identity = await committer(cwd, env, signal)
  await git(['add', '--', ...plan.files], cwd, signal)
  await git(['commit', '--quiet', '--no-verify', '-m', `chore(release): ${plan.tag}`, '--', ...plan.files], cwd, signal, identity)
  await git(['tag', '--annotate', plan.tag, '--cleanup=verbatim', '-m', `${plan.tag}\n\n${plan.section}`], cwd, signal, identity)
  stepOutputs(env, { released: 'true', version: plan.version, tag: plan.tag })
  console.log(
    `${plan.version} (${plan.reason}): wrote ${plan.files.join(', ')}; committed chore(release): ${plan.tag} and tagged ${plan.tag}. ` +
      `Nothing is pushed: git push --atomic origin HEAD ${plan.tag}`,
  )
  return plan
}

/** What `run --dry-run version` shows: the version and its section, or that there is nothing to release. */
export async function previewVersion(options: VersionOptions = {}, context?: CheckContext): Promise<string> {
  const plan = await planVersion(options, context)
  if (plan === undefined) return 'nothing to release: no commit since the latest release is a feat, fix, perf or breaking change'
  return `would release ${plan.version} (${plan.reason}), writing ${plan.files.join(', ')}, then commit chore(release): ${plan.tag} and tag ${plan.tag}:\n\n${plan.section}`
}

/** The `v*` tags reachable from HEAD whose names are versions. */
async function reachableTags(cwd: string, signal?: AbortSignal): Promise<TaggedVersion[]> {
  const list = await git(['tag', '--list', 'v*', '--merged', 'HEAD'], cwd, signal).catch((error) => {
    // A repository without a commit has no HEAD to merge into: no tags either.
    if (/malformed object name|no such commit/i.test(String(error))) return ''
    throw error
  })
  return list
    .split('\n')
    .filter(Boolean)
    .flatMap((tag) => {
      const version = parseVersion(tag)
      return version ? [{ tag, version }] : []
    })
}

async function refuseExistingTag(tag: string, cwd: string, signal?: AbortSignal): Promise<void> {
  const commit = await git(['rev-parse', '--short', '--verify', '--quiet', `refs/tags/${tag}^{commit}`], cwd, signal).catch(() => '')
  if (commit.trim()) {
    throw new Error(
      `the tag ${tag} exists already (on commit ${commit.trim()}), though not in HEAD's history: release from that branch, or give a version (run version X.Y.Z)`,
    )
  }
}

/**
 * The release commit of this very version, with no tag: a run that stopped between its commit and its tag
 * (Ctrl-C, a tag that could not be signed). Run again, it would commit and write the section a second time.
 */
function refuseUntaggedRelease(tag: string, commits: readonly ReleaseCommit[]): void {
  const made = commits.find((c) => isReleaseCommit(c) && c.subject === tag)
  if (made === undefined) return
  const hash = made.hash.slice(0, 7)
  throw new Error(
    `the commit chore(release): ${tag} (${hash}) is there without its tag: a run of version stopped before tagging it. ` +
      `Tag it (git tag --annotate ${tag} ${hash} -m ${tag}), or give another version (run version X.Y.Z)`,
  )
}

/** With no release tagged yet, the commits must not take the version below the one the project file already says. */
function refuseGoingBack(current: string | undefined, next: SemVer, version: string, file: string): void {
  const stated = current === undefined ? undefined : parseVersion(current)
  if (stated === undefined || next.compare(stated) >= 0) return
  throw new Error(
    `${file} says ${current} and no v* tag marks a release yet, so the commits count from 0.0.0 and ask for ${version}, which is lower: ` +
      `tag the commit that was ${current} (git tag v${current} COMMIT), or give the version (run version X.Y.Z)`,
  )
}

/** `2 feat, 1 fix` */
function tally(commits: readonly ReleaseCommit[]): string {
  const counts = new Map<string, number>()
  for (const c of commits)
    if (c.type && !isReleaseCommit(c))
      counts.set(c.breaking ? `${c.type}!` : c.type, (counts.get(c.breaking ? `${c.type}!` : c.type) ?? 0) + 1)
  return [...counts].map(([type, n]) => `${n} ${type}`).join(', ')
}

/**
 * Who commits and tags: the repository's user; under GitHub Actions, where a fresh runner has none,
 * github-actions[bot], as GitHub's own actions commit.
 */
async function committer(
  cwd: string,
  env: Record<string, string | undefined>,
  signal?: AbortSignal,
): Promise<Record<string, string> | undefined> {
  const email = await git(['config', 'user.email'], cwd, signal).catch(() => '')
  if (email.trim() || env.GIT_AUTHOR_EMAIL || env.EMAIL) return undefined
  if (env.GITHUB_ACTIONS === 'true') {
    const name = 'github-actions[bot]'
    const mail = '41898282+github-actions[bot]@users.noreply.github.com'
    return { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: mail, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: mail }
  }
  throw new Error("git has no user to commit as: git config user.name 'Your Name' && git config user.email you@example.org")
}

/** Under GitHub Actions: the step's outputs (`steps.ID.outputs.NAME`). */
function stepOutputs(env: Record<string, string | undefined>, outputs: Record<string, string>): void {
  if (env.GITHUB_ACTIONS !== 'true' || !env.GITHUB_OUTPUT) return
  appendFileSync(
    env.GITHUB_OUTPUT,
    Object.entries(outputs)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  )
}

/** SOURCE_DATE_EPOCH, for a reproducible changelog. */
function sourceDate(env: Record<string, string | undefined>): Date | undefined {
  const epoch = Number(env.SOURCE_DATE_EPOCH)
  return env.SOURCE_DATE_EPOCH && Number.isFinite(epoch) ? new Date(epoch * 1000) : undefined
}
