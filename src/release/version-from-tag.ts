/**
 * The version from the latest `v*` tag reachable from HEAD, as setuptools-scm
 * computes it (its default `guess-next-dev` and `node-and-date` schemes):
 * - HEAD on the tag, tree clean: the tag's version (`v1.2.3` -> `1.2.3`);
 * - commits after the tag: the next version as a dev release, with the commit
 *   (`1.2.4.dev3+g1a2b3c4d5`); a dirty tree adds the date (`.d20260131`).
 * Only the first is a version an index accepts; the others say "not a release".
 */
import { type CheckContext, projectRoot } from './check.js'
import { git, hasCommits } from './git.js'
import { normalizeVersion } from './python-names.js'

export interface VersionFromTagOptions {
  /** The repository; the project root by default. */
  cwd?: string | undefined
  /** Which tags count, as a `git describe --match` glob; `v[0-9]*`. */
  match?: string | undefined
  /** The date of a dirty tree's version (setuptools-scm honours SOURCE_DATE_EPOCH too); now. */
  now?: Date | undefined
  signal?: AbortSignal | undefined
}

/** The version setuptools-scm would give HEAD, from the latest `v*` tag. Throws when there is no such tag. */
export async function versionFromTag(options: VersionFromTagOptions = {}, context?: CheckContext): Promise<string> {
  const cwd = options.cwd ?? projectRoot(context)
  const match = options.match ?? 'v[0-9]*'
  const signal = options.signal ?? context?.signal
  if (!(await hasCommits(cwd, signal)))
    throw new Error(`the git repository in ${cwd} has no commit yet: commit, then tag the release (git tag v0.1.0)`)
  let describe: string
  try {
    describe = await git(['describe', '--dirty', '--tags', '--long', '--abbrev=40', '--match', match], cwd, signal)
  } catch (error) {
    if (/no names found|cannot describe|no tags can describe/i.test(String(error))) {
      throw new Error(`no tag matching ${match} is reachable from HEAD: tag the release, e.g. git tag v0.1.0`)
    }
    throw error
  }
  return versionFromDescribe(describe.trim(), options.now ?? sourceDateEpoch() ?? new Date())
}

/** `git describe --dirty --tags --long` output -> the version (pure; see the file's comment). */
export function versionFromDescribe(describe: string, now: Date): string {
  const dirty = describe.endsWith('-dirty')
  const text = dirty ? describe.slice(0, -'-dirty'.length) : describe
  const m = /^(?<tag>.+)-(?<distance>\d+)-g(?<node>[0-9a-f]+)$/.exec(text)?.groups
  const tag = m?.tag ?? text
  const distance = Number(m?.distance ?? 0)
  const version = normalizeVersion(tag.replace(/^v/i, ''))
  if (version === undefined) throw new Error(`the tag ${tag} is not a version (PEP 440): tag releases like v1.2.3`)
  if (distance === 0 && !dirty) return version
  const node = m?.node ? `g${m.node.slice(0, 9)}` : undefined
  const date = `d${now.toISOString().slice(0, 10).replaceAll('-', '')}`
  const local = [node, dirty ? date : undefined].filter(Boolean).join('.')
  return `${guessNext(version)}.dev${distance}${local ? `+${local}` : ''}`
}

/** setuptools-scm's guess: a `.dev0` tag becomes its release, anything else gets its last number bumped. */
function guessNext(version: string): string {
  const publicPart = version.split('+')[0]!
  if (publicPart.includes('.dev')) {
    const at = publicPart.lastIndexOf('.dev')
    if (publicPart.slice(at + 4) !== '0') throw new Error(`cannot guess the version after ${version}: tag a release or a .dev0 version`)
    return publicPart.slice(0, at)
  }
  const m = /^(.*?)(\d+)$/.exec(publicPart)
  if (!m) throw new Error(`cannot guess the version after ${version}: it does not end with a number`)
  return `${m[1]}${BigInt(m[2]!) + 1n}`
}

function sourceDateEpoch(): Date | undefined {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH)
  return process.env.SOURCE_DATE_EPOCH && Number.isFinite(epoch) ? new Date(epoch * 1000) : undefined
}
