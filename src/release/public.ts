/**
 * The release checks and helpers as 'runts' exports them: each loads the
 * release code on first use, so that a tasks file which imports runts pays
 * nothing for them until a check runs or a helper is called (the library is
 * an ES module, read afresh on every run). Checks carry their descriptions
 * from the start, for `run --dry-run`.
 */
import type { Check } from '../api/task.js'
import { GIT_CLEAN, notPublishedDescription, tagDescription } from './describe.js'
import type * as Release from './index.js'

export { indexForUpload, PYPI, TEST_PYPI } from './indexes.js'

type R = typeof Release
let loaded: Promise<R> | undefined
const load = (): Promise<R> => {
  loaded ??= import('./index.js')
  return loaded
}

/** A check named now, whose code loads when it runs. */
function lazyCheck(description: string, make: (release: R) => Check): Check {
  let check: Check | undefined
  const run: Check = async (context) => {
    check ??= make(await load())
    return check(context)
  }
  Object.defineProperty(run, 'name', { value: description })
  return run
}

/** A check: the git working tree is clean (it names the changed and untracked files). */
export function gitClean(...args: Parameters<R['gitClean']>): Check {
  return lazyCheck(GIT_CLEAN, (r) => r.gitClean(...args))
}

/** A check: HEAD carries the tag `v<version>` (the version read from pyproject.toml or package.json when not given). */
export function tagMatchesVersion(...args: Parameters<R['tagMatchesVersion']>): Check {
  return lazyCheck(tagDescription(args[0]), (r) => r.tagMatchesVersion(...args))
}

/** A check: this version is not on the npm registry or PyPI-style index yet. */
export function notPublished(...args: Parameters<R['notPublished']>): Check {
  return lazyCheck(notPublishedDescription(args[0] ?? {}), (r) => r.notPublished(...args))
}

/** A check: the token variable is set, or (GitHub Actions with id-token: write) trusted publishing can mint a token. */
export function tokenOrTrustedPublishing(variable: string): Check {
  return lazyCheck(`${variable} is set, or trusted publishing can mint one`, (r) => r.tokenOrTrustedPublishing(variable))
}

/** What a registry or index holds of this version (for a publish task that promotes rather than uploads). */
export const findPublished: R['findPublished'] = async (...args) => (await load()).findPublished(...args)
/** The version from the latest `v*` tag, as setuptools-scm reads it. */
export const versionFromTag: R['versionFromTag'] = async (...args) => (await load()).versionFromTag(...args)
/** The project's name and version as the build will write them (pyproject.toml, package.json, or the tag). */
export const readRelease: R['readRelease'] = async (...args) => (await load()).readRelease(...args)
/** The project's name and version, and where the version comes from. */
export const readProject: R['readProject'] = async (...args) => (await load()).readProject(...args)
/** The files of this version in dist/ (sdist and wheels, or the npm tarball), whatever older files lie there. */
export const distFiles: R['distFiles'] = async (...args) => (await load()).distFiles(...args)
/** `run version`: the next version from the Conventional Commits (or the bump asked for), written, in CHANGELOG.md, committed and tagged; prints `nothing to release` when no commit calls for one. */
export const releaseVersion: R['releaseVersion'] = async (...args) => (await load()).releaseVersion(...args)
/** What `releaseVersion` would do (undefined: nothing to release); writes nothing. */
export const planVersion: R['planVersion'] = async (...args) => (await load()).planVersion(...args)
/** The version and CHANGELOG.md section `releaseVersion` would write, as text for `run --dry-run`. */
export const previewVersion: R['previewVersion'] = async (...args) => (await load()).previewVersion(...args)
/** The GitHub release of the tag `v<version>` with these files (notes: its CHANGELOG.md section); safe to run again. */
export const githubRelease: R['githubRelease'] = async (...args) => (await load()).githubRelease(...args)
/** The upload password: the token when set, else (GitHub Actions, id-token: write) one minted by the index's trusted publishing. */
export const uploadToken: R['uploadToken'] = async (...args) => (await load()).uploadToken(...args)
/** PyPI's trusted-publishing exchange for the index of an upload URL: a short-lived upload token (masked). */
export const mintToken: R['mintToken'] = async (...args) => (await load()).mintToken(...args)
/** Run a check; a throw becomes its message. */
export const runCheck: R['runCheck'] = async (...args) => (await load()).runCheck(...args)

export type {
  DistFilesOptions,
  DistVersion,
  GitCleanOptions,
  GithubReleaseOptions,
  GithubReleaseResult,
  ProjectInfo,
  Published,
  PublishTarget,
  ReadReleaseOptions,
  Release,
  ReleaseCommit,
  TagMatchesVersionOptions,
  UploadTokenOptions,
  VersionFromTagOptions,
  VersionOptions,
  VersionPlan,
} from './index.js'
