/**
 * What is being released: the project's name, and its version as the build
 * will write it (pyproject.toml's or package.json's, or for setuptools-scm
 * and the like, the git tag's).
 */
import path from 'node:path'
import { projectRoot } from './check.js'
import { readProject } from './project.js'
import { versionFromTag } from './version-from-tag.js'

export interface Release {
  kind: 'python' | 'npm'
  name: string
  version: string
  /** Where the version comes from, for messages: `pyproject.toml`, `package.json` or `the git tag`. */
  source: string
}

export interface ReadReleaseOptions {
  /** The project root; the running task's, else the current folder. */
  cwd?: string | undefined
  /** Which project file to read when both are there. */
  kind?: 'python' | 'npm' | undefined
  signal?: AbortSignal | undefined
}

/** The name and version being released. Throws, saying what to do, when the version cannot be known. */
export async function readRelease(options: ReadReleaseOptions = {}): Promise<Release> {
  const cwd = options.cwd ?? projectRoot()
  const project = await readProject(cwd, options.kind)
  const file = path.basename(project.file)
  if (project.version !== undefined) return { kind: project.kind, name: project.name, version: project.version, source: file }
  if (project.versionFrom === 'tag') {
    return { kind: project.kind, name: project.name, version: await versionFromTag({ cwd, signal: options.signal }), source: 'the git tag' }
  }
  throw new Error(`${file} has a dynamic version that runts cannot read: give the version (version: '1.2.3')`)
}
