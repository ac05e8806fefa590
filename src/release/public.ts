/**
 * The release checks and helpers as 'runts' exports them: each loads the
 * release code on first use, so that a tasks file which imports runts pays
 * nothing for them until a check runs or a helper is called (the library is
 * an ES module, read afresh on every run). Checks carry their descriptions
 * from the start, for `run --dry-run`.
 */
import type { Check } from '../api/task.js'
import { GIT_CLEAN, notPublishedDescription, npmTokenDescription, pypiTokenDescription, tagDescription } from './describe.js'
import type * as Release from './index.js'

export { indexForUpload, PYPI, TEST_PYPI } from './indexes.js'
// Small, and needed as the tasks file loads (a `$`) or synchronously (comparisons): not lazy.
export { withPathFirst } from './path-first.js'
export { compareFiles, describeConflicts, listedFiles } from './release-files.js'

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

/** A check: the PyPI token in `tokenVar` was made by the site `uploadVar` uploads to (pypi.org or test.pypi.org). */
export function pypiToken(...args: Parameters<R['pypiToken']>): Check {
  return lazyCheck(pypiTokenDescription(args[0]), (r) => r.pypiToken(...args))
}

/** A check: the npm registry in `registryVar` takes the token in `tokenVar` (npm whoami). */
export function npmToken(...args: Parameters<R['npmToken']>): Check {
  return lazyCheck(npmTokenDescription(args[0], args[1]), (r) => r.npmToken(...args))
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
/** The files of a release with their sha256: `[{ filename, path, digest }]`. */
export const withSha256: R['withSha256'] = async (...args) => (await load()).withSha256(...args)
/** The sha256 (hex) of a file. */
export const sha256File: R['sha256File'] = async (...args) => (await load()).sha256File(...args)
/** npm's integrity (`sha512-…`) of a file. */
export const integrityOfFile: R['integrityOfFile'] = async (...args) => (await load()).integrityOfFile(...args)
/** A download kept only when its sha256 or integrity is the one given. */
export const downloadVerified: R['downloadVerified'] = async (...args) => (await load()).downloadVerified(...args)
/** This version's files on a PyPI-style index, with their links and sha256. */
export const versionOnIndex: R['versionOnIndex'] = async (...args) => (await load()).versionOnIndex(...args)
/** This version's files downloaded from a PyPI-style index, each checked against the sha256 it lists. */
export const fetchFromIndex: R['fetchFromIndex'] = async (...args) => (await load()).fetchFromIndex(...args)
/** After an upload: the index lists each file with the sha256 uploaded (waited for a minute at most). */
export const confirmListed: R['confirmListed'] = async (...args) => (await load()).confirmListed(...args)
/** The top-level modules of a wheel, read from the wheel (top_level.txt, else its paths). */
export const wheelModules: R['wheelModules'] = async (...args) => (await load()).wheelModules(...args)
/** Installs into a fresh venv and imports the given modules there. */
export const importInFreshVenv: R['importInFreshVenv'] = async (...args) => (await load()).importInFreshVenv(...args)
/** Refuses an npm tarball with files that are not the package's or without its entry points; resolves to its package.json. */
export const checkTarball: R['checkTarball'] = async (...args) => (await load()).checkTarball(...args)
/** A version's `dist` (tarball, integrity) on an npm registry, or undefined. */
export const onRegistry: R['onRegistry'] = async (...args) => (await load()).onRegistry(...args)
/** The tarball an npm registry holds for a version, downloaded and checked against its `dist.integrity`. */
export const fetchTarball: R['fetchTarball'] = async (...args) => (await load()).fetchTarball(...args)
/** After a publish: the registry lists the version with this integrity (waited for a minute at most). */
export const confirmPublished: R['confirmPublished'] = async (...args) => (await load()).confirmPublished(...args)
/** Installs an npm tarball into a fresh project, imports it and starts its bins (`--help`). */
export const installAndImportTarball: R['installAndImportTarball'] = async (...args) => (await load()).installAndImportTarball(...args)

export type {
  ConfirmOptions,
  Conflict,
  DistFilesOptions,
  DistVersion,
  DownloadOptions,
  FreshVenvCheck,
  GitCleanOptions,
  GithubReleaseOptions,
  GithubReleaseResult,
  IndexFile,
  IndexVersion,
  ListedFile,
  NpmDist,
  NpmInstallCheck,
  ProjectInfo,
  Published,
  PublishTarget,
  ReadReleaseOptions,
  RegistryVersion,
  Release,
  ReleaseCommit,
  ReleaseFile,
  Standing,
  TagMatchesVersionOptions,
  UploadTokenOptions,
  VersionFromTagOptions,
  VersionOptions,
  VersionPlan,
} from './index.js'
