/**
 * The check that the version being released is not already on the target:
 * an npm registry, or a PyPI-style index (PyPI, TestPyPI, pypiserver, …).
 * Registries never take a version twice, so a second upload can only fail,
 * and fail half-way through a release.
 */
import { type Check, type CheckContext, describedAs, listSome, projectRoot } from './check.js'
import { notPublishedDescription } from './describe.js'
import { pickDistFiles } from './dist-files.js'
import { redact } from './http.js'
import { npmVersions } from './npm-registry.js'
import { filesOnIndex, PYPI } from './pypi-index.js'
import { readRelease } from './read-release.js'

export interface PublishTarget {
  /** An npm registry (`https://registry.npmjs.org/`). */
  registry?: string | undefined
  /** A PyPI-style simple index (`https://test.pypi.org/simple/`); credentials, when it needs them, in the URL. */
  index?: string | undefined
  /** The package; read from pyproject.toml or package.json when not given. */
  name?: string | undefined
  /** The version; read from the project (or, for setuptools-scm, its tag) when not given. */
  version?: string | undefined
  /** A token to read a private npm package with. */
  token?: string | undefined
  /** How long to wait for the registry; 15 s. */
  timeoutMs?: number | undefined
  /** The project root; the running task's by default. */
  cwd?: string | undefined
}

export interface Published {
  name: string
  version: string
  /** The registry or index asked, without credentials. */
  where: string
  /** The version's files on an index (`[]` when absent); for npm, `[name@version]` when present. */
  files: string[]
  /** Where the version came from, for messages: `pyproject.toml`, `package.json`, `the git tag`, `given`. */
  source: string
  /** npm only: the version was published once and unpublished, and can never be published again. */
  unpublished?: boolean | undefined
}

/** Ask the target whether it has the version (no judgement: see `notPublished`). */
export async function findPublished(target: PublishTarget = {}, context?: CheckContext): Promise<Published> {
  if (target.registry && target.index) throw new Error('notPublished: give registry (npm) or index (PyPI), not both')
  const cwd = target.cwd ?? projectRoot(context)
  const kind = target.registry ? 'npm' : target.index ? 'python' : undefined
  const release = target.name && target.version ? undefined : await readRelease({ cwd, kind, signal: context?.signal })
  const name = target.name ?? release!.name
  const version = target.version ?? release!.version
  const source = target.version ? 'given' : release!.source
  const get = { timeoutMs: target.timeoutMs, signal: context?.signal }
  if (target.registry || (!target.index && release?.kind === 'npm')) {
    const registry = target.registry ?? (context?.env ?? process.env).npm_config_registry ?? 'https://registry.npmjs.org/'
    const found = await npmVersions(registry, name, { ...get, bearer: target.token })
    const files = found.versions.includes(version) ? [`${name}@${version}`] : []
    return { name, version, where: redact(registry), files, source, unpublished: found.unpublished.includes(version) }
  }
  const index = target.index ?? PYPI.indexUrl
  const files = pickDistFiles(await filesOnIndex(index, name, get), { name, version })
  return { name, version, where: redact(index), files, source }
}

/**
 * A check: the version is not on the registry or index yet. Options may be a
 * function, called when the check runs (after `.env` is loaded).
 */
export function notPublished(target: PublishTarget | (() => PublishTarget | Promise<PublishTarget>) = {}): Check {
  return describedAs(notPublishedDescription(target), async (context) => {
    const found = await findPublished(typeof target === 'function' ? await target() : target, context)
    const bump = bumpHint(found.source)
    if (found.unpublished) {
      return `${found.name}@${found.version} was published on ${found.where} and unpublished; npm never accepts it again: ${bump}`
    }
    if (found.files.length === 0) return undefined
    if (found.files[0]?.includes('@'))
      return `${found.name}@${found.version} is already on ${found.where}, which never accepts a version twice: ${bump}`
    return `${found.name} ${found.version} (${listSome(found.files, 3)}) is already on ${found.where}, which never accepts a file twice: ${bump}`
  })
}

function bumpHint(source: string): string {
  if (source === 'the git tag') return 'tag a new version (git tag vX.Y.Z), then build again'
  if (source === 'given') return 'release a new version'
  return `bump the version in ${source}, then build again`
}
