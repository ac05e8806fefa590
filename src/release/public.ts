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
/** Run a check; a throw becomes its message. */
export const runCheck: R['runCheck'] = async (...args) => (await load()).runCheck(...args)

export type {
  DistFilesOptions,
  DistVersion,
  GitCleanOptions,
  ProjectInfo,
  Published,
  PublishTarget,
  ReadReleaseOptions,
  Release,
  TagMatchesVersionOptions,
  VersionFromTagOptions,
} from './index.js'
