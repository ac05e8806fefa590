/**
 * Versions as tags and project files spell them: semver for npm (`1.2.0-rc.1`),
 * PEP 440 for Python (`1.2.0rc1`). Inside, every version is a `semver` object
 * (the parser npm itself uses), so that one algorithm bumps both; a Python
 * prerelease `rc1` is `-rc.1` there, `a1` `-alpha.1`, `b1` `-beta.1`.
 */
import SemVer from 'semver/classes/semver.js'
import { normalizeVersion } from './python-names.js'

export type VersionKind = 'python' | 'npm'

/** PEP 440 pre-release labels and the semver prerelease tokens they stand for. */
const PEP440_TOKENS: Record<string, string> = { a: 'alpha', b: 'beta', rc: 'rc' }
const TOKENS_PEP440: Record<string, string> = { alpha: 'a', a: 'a', beta: 'b', b: 'b', rc: 'rc', c: 'rc', pre: 'rc', preview: 'rc' }

/**
 * A version from a tag or a file (`v` prefix allowed): semver, or PEP 440 of the form
 * `X.Y.Z` / `X.Y.Z{a|b|rc}N`. Undefined for anything else (`v1.2`, `1.0.post1`, a date): such tags are
 * not releases this tool made, and are passed over, as python-semantic-release does.
 */
export function parseVersion(text: string): SemVer | undefined {
  const bare = text.trim().replace(/^v/i, '')
  try {
    return new SemVer(bare)
  } catch {
    const normal = normalizeVersion(bare)
    const m = normal === undefined ? null : /^(\d+)\.(\d+)\.(\d+)(?:(a|b|rc)(\d+))?$/.exec(normal)
    if (!m) return undefined
    const pre = m[4] === undefined ? '' : `-${PEP440_TOKENS[m[4]]}.${m[5]}`
    return new SemVer(`${m[1]}.${m[2]}.${m[3]}${pre}`)
  }
}

/**
 * How a version is written for a kind of project: `1.2.0-rc.1` for npm, `1.2.0rc1` for Python (PEP 440's
 * normal form, the one build backends write into file names). Throws for a prerelease PEP 440 cannot spell.
 */
export function formatVersion(version: SemVer, kind: VersionKind): string {
  const core = `${version.major}.${version.minor}.${version.patch}`
  if (kind === 'npm') return version.format()
  if (version.prerelease.length === 0) return core
  const [token, number] = version.prerelease
  const label = typeof token === 'string' ? TOKENS_PEP440[token.toLowerCase()] : undefined
  if (label === undefined || typeof number !== 'number' || version.prerelease.length !== 2) {
    throw new Error(
      `${version.format()} has no PEP 440 spelling: a Python prerelease is alpha, beta or rc with a number (1.2.0rc1, 1.2.0b2)`,
    )
  }
  return `${core}${label}${number}`
}

/** The token a prerelease is counted under (`rc` for `1.2.0-rc.3` and for `1.2.0rc3`), or undefined for a release. */
export function prereleaseToken(version: SemVer): string | undefined {
  const [token] = version.prerelease
  return typeof token === 'string' ? token : undefined
}

/** The prerelease token a user names (`rc`, `beta`, `b`), as this kind of project spells it inside (`rc`, `beta`). */
export function tokenFor(name: string, kind: VersionKind): string {
  const lower = name.toLowerCase()
  if (kind === 'npm') {
    if (!/^[0-9A-Za-z-]+$/.test(name) || /^\d+$/.test(name))
      throw new Error(`'${name}' cannot name a prerelease: use letters, like rc or beta`)
    return name
  }
  const label = TOKENS_PEP440[lower]
  if (label === undefined) throw new Error(`'${name}' is not a Python prerelease (PEP 440): use a, b or rc (alpha, beta)`)
  return PEP440_TOKENS[label]!
}
