/**
 * The next version, as python-semantic-release computes it (its
 * `next_version` and `_increment_version`), with `major_on_zero = false`:
 * - the base is the latest full release among the `v*` tags reachable from
 *   HEAD (0.0.0 when there is none); for a prerelease, the latest prerelease
 *   of the same token at or above it;
 * - the commits since the base ask for a level: a breaking change major,
 *   `feat` minor, `fix`/`perf` patch, anything else none (nothing to release);
 * - below 1.0.0 a breaking change bumps the minor;
 * - after a prerelease whose bump already covers the level, a prerelease
 *   counts up (`1.3.0-rc.1` -> `1.3.0-rc.2`) and a release finalizes it
 *   (`1.3.0`); a greater level starts again from the latest full release.
 * Pure: the tags and the commits' level are given.
 */

import SemVer from 'semver/classes/semver.js'
import inc from 'semver/functions/inc.js'
import { prereleaseToken } from './versions.js'

/** What a commit (or a set of commits) asks for, lowest first. */
export const LEVELS = ['none', 'patch', 'minor', 'major'] as const
export type Level = (typeof LEVELS)[number]

export interface TaggedVersion {
  tag: string
  version: SemVer
}

export interface Bases {
  /** The latest full release reachable from HEAD; undefined when there is none (the version counts from 0.0.0). */
  full?: TaggedVersion
  /** What the next version is counted from: `full`, or for a prerelease the latest prerelease of its token above it. */
  latest?: TaggedVersion
}

const byVersion = (a: TaggedVersion, b: TaggedVersion) => b.version.compare(a.version)

/** The bases among the tags reachable from HEAD. */
export function releaseBases(tags: readonly TaggedVersion[], prerelease?: { token: string }): Bases {
  const sorted = [...tags].sort(byVersion)
  const full = sorted.find((t) => t.version.prerelease.length === 0)
  if (!prerelease) return { full, latest: full }
  const latest =
    sorted.find((t) => prereleaseToken(t.version) === prerelease.token && (full === undefined || t.version.compare(full.version) >= 0)) ??
    full
  return { full, latest }
}

export const maxLevel = (levels: Iterable<Level>): Level => {
  let best = 0
  for (const level of levels) best = Math.max(best, LEVELS.indexOf(level))
  return LEVELS[best]!
}

/** Which part differs first between two versions (their cores): how big a bump lies between them. */
function difference(a: SemVer, b: SemVer): Level {
  if (a.major !== b.major) return 'major'
  if (a.minor !== b.minor) return 'minor'
  if (a.patch !== b.patch) return 'patch'
  return 'none'
}

const ZERO = () => parse('0.0.0')

/** The version after `bases` for a `level` other than none, a prerelease of `token` when asked. */
export function increment(bases: Bases, level: Exclude<Level, 'none'>, prerelease?: { token: string }): SemVer {
  const latest = bases.latest?.version ?? ZERO()
  const full = bases.full?.version ?? ZERO()
  // major_on_zero = false: below 1.0.0 a breaking change bumps the minor.
  const wanted: Exclude<Level, 'none'> = latest.major === 0 && level === 'major' ? 'minor' : level
  let base = latest
  if (latest.prerelease.length > 0) {
    if (LEVELS.indexOf(wanted) <= LEVELS.indexOf(difference(latest, full))) {
      if (!prerelease) return parse(`${latest.major}.${latest.minor}.${latest.patch}`)
      const [, count] = latest.prerelease
      const next = prereleaseToken(latest) === prerelease.token && typeof count === 'number' ? count + 1 : 1
      return parse(`${latest.major}.${latest.minor}.${latest.patch}-${prerelease.token}.${next}`)
    }
    base = full
  }
  const bumped = parse(inc(`${base.major}.${base.minor}.${base.patch}`, wanted)!)
  return prerelease ? parse(`${bumped.format()}-${prerelease.token}.1`) : bumped
}

function parse(text: string): SemVer {
  return new SemVer(text)
}
