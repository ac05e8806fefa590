/**
 * The files of one version in dist/, so that a publish uploads only the
 * version being released, whatever older builds lie beside it.
 */
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { listSome, projectRoot } from './check.js'
import { normalizeName, normalizeVersion } from './python-names.js'
import { readRelease } from './read-release.js'

export interface DistVersion {
  name: string
  version: string
}

/**
 * Of these file names, the ones of `name` `version`: Python sdists
 * (`name-1.2.3.tar.gz`) and wheels (`name-1.2.3-py3-none-any.whl`), names
 * and versions compared in normal form (PEP 503, 427, 625, 440); npm
 * tarballs (`name-1.2.3.tgz`, `@scope/name` as `scope-name-1.2.3.tgz`).
 */
export function pickDistFiles(files: readonly string[], { name, version }: DistVersion): string[] {
  const npmTarball = `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`
  const wanted = normalizeVersion(version) ?? version
  const pyName = normalizeName(name)
  const isPython = (fileName: string, fileVersion: string) =>
    normalizeName(fileName) === pyName && (normalizeVersion(fileVersion) ?? fileVersion) === wanted
  return files.filter((file) => {
    if (file.endsWith('.tgz')) return file === npmTarball
    if (file.endsWith('.whl')) {
      // name-version(-build)?-python-abi-platform.whl; neither part holds a '-' (PEP 427 escapes them).
      const parts = file.slice(0, -'.whl'.length).split('-')
      return (parts.length === 5 || parts.length === 6) && isPython(parts[0]!, parts[1]!)
    }
    const stem = file.match(/^(.*)\.(?:tar\.gz|zip)$/)?.[1]
    if (stem === undefined) return false
    // Old sdists keep '-' in the name (`my-pkg-1.0.tar.gz`): try each split.
    const parts = stem.split('-')
    for (let i = 1; i < parts.length; i++) {
      if (isPython(parts.slice(0, i).join('-'), parts.slice(i).join('-'))) return true
    }
    return false
  })
}

export interface DistFilesOptions extends Partial<DistVersion> {
  /** The folder to look in, from the project root; `dist`. */
  dir?: string | undefined
  /** The project root; the running task's, else the current folder. */
  cwd?: string | undefined
}

/**
 * The absolute paths of the files of this version in dist/ (name and version
 * read from the project when not given; a setuptools-scm project's version
 * from its tag). Throws, saying what dist/ holds, when there is none.
 */
export async function distFiles(options: DistFilesOptions = {}): Promise<string[]> {
  const cwd = options.cwd ?? projectRoot()
  const dir = path.resolve(cwd, options.dir ?? 'dist')
  const release = options.name && options.version ? undefined : await readRelease({ cwd })
  const name = options.name ?? release!.name
  const version = options.version ?? release!.version
  const files = await readdir(dir).catch(() => [] as string[])
  const picked = pickDistFiles(files.sort(), { name, version })
  if (picked.length === 0) {
    const holds = files.length ? `it holds ${listSome(files)}` : 'it is empty or missing'
    throw new Error(`no files of ${name} ${version} in ${path.relative(cwd, dir) || '.'}/ (${holds}): build this version first`)
  }
  return picked.map((file) => path.join(dir, file))
}
