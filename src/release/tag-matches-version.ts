/**
 * The check that HEAD carries the version's tag (`v1.2.3` for 1.2.3), so that
 * what is released can be found again. A project whose version comes from
 * the tag (setuptools-scm: `dynamic = ["version"]`) needs HEAD on a `v*` tag
 * with a clean tree, or it would build a `.dev` version no index accepts.
 */
import path from 'node:path'
import { type Check, describedAs, listSome, projectRoot } from './check.js'
import { tagDescription } from './describe.js'
import { git, hasCommits } from './git.js'
import { readProject } from './project.js'
import { normalizeVersion } from './python-names.js'
import { versionFromTag } from './version-from-tag.js'

export interface TagMatchesVersionOptions {
  /** The repository; the project root by default. */
  cwd?: string | undefined
}

/** A check: HEAD is tagged `v<version>` (the version read from pyproject.toml or package.json when not given). */
export function tagMatchesVersion(version?: string, options: TagMatchesVersionOptions = {}): Check {
  return describedAs(tagDescription(version), async (context) => {
    const cwd = options.cwd ?? projectRoot(context)
    const signal = context?.signal
    if (!(await hasCommits(cwd, signal))) return `the git repository in ${cwd} has no commit yet: commit, then tag the release`
    const tags = (await git(['tag', '--points-at', 'HEAD'], cwd, signal)).split('\n').filter(Boolean)
    let wanted = version
    let source = 'given'
    if (wanted === undefined) {
      const project = await readProject(cwd)
      source = `the version in ${path.basename(project.file)}`
      if (project.versionFrom === 'tag') return fromTag(tags, cwd, signal)
      if (project.version === undefined) {
        return `${path.basename(project.file)} has a dynamic version that runts cannot read: give it, tagMatchesVersion('1.2.3')`
      }
      wanted = project.version
    }
    const tag = `v${wanted}`
    const normal = normalizeVersion(wanted)
    const ok = tags.some((t) => t === tag || (normal !== undefined && /^v/i.test(t) && normalizeVersion(t.slice(1)) === normal))
    if (ok) return undefined
    const carries = tags.length ? `HEAD carries ${listSome(tags)}` : 'HEAD carries no tag'
    const elsewhere = await taggedCommit(tag, cwd, signal)
    if (elsewhere) {
      return `HEAD is not the commit tagged ${tag} (${source}): ${tag} is on commit ${elsewhere}, and ${carries}; release from ${tag}, or bump the version`
    }
    return `HEAD is not tagged ${tag} (${source}; ${carries}): tag it (git tag ${tag}; push the tag once the release is out), or set the version to the tag's`
  })
}

/** setuptools-scm style: the version is whatever the tag says, as long as HEAD is exactly on one and clean. */
async function fromTag(tags: string[], cwd: string, signal?: AbortSignal): Promise<string | undefined> {
  const versionTags = tags.filter((t) => /^v\d/i.test(t) && normalizeVersion(t.slice(1)) !== undefined)
  let version: string
  try {
    version = await versionFromTag({ cwd, signal })
  } catch (error) {
    return `${(error as Error).message} (the version comes from the tag: dynamic = ["version"])`
  }
  if (!/\.dev\d+|\+/.test(version)) return undefined
  const why = versionTags.length
    ? `HEAD is tagged ${listSome(versionTags)} but has uncommitted changes: commit or stash them`
    : 'HEAD carries no v* tag: tag the release (git tag vX.Y.Z; push the tag once the release is out)'
  return `the version comes from the tag (dynamic = ["version"]) and would be ${version}, which no index accepts: ${why}`
}

/** The short hash of the commit a tag names, when the tag exists. */
async function taggedCommit(tag: string, cwd: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    return (await git(['rev-parse', '--short', '--verify', '--quiet', `refs/tags/${tag}^{commit}`], cwd, signal)).trim() || undefined
  } catch {
    return undefined
  }
}
