/**
 * What the generated workflow needs to know about the project, read from
 * its files: which Node, whether npm has a lock file, whether it is a Python
 * project and which Python. Everything else about the job comes from the
 * tasks file.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { pythonVersionSpec, supportedMinors } from './python-version.js'

/** A version for a `setup-*` action: a spec of its own, or a file in the project that names it. */
export type VersionSource = { version: string } | { file: string }

export interface ProjectFacts {
  /** `.nvmrc` / `.node-version` (the exact version developers use), else `engines.node`, else the latest LTS. */
  node: VersionSource
  /** `package-lock.json` or `npm-shrinkwrap.json`, when there is one: `npm ci` and npm's cache. */
  lockFile?: string
  /** Set when there is a `pyproject.toml`: `.python-version`, else `requires-python`, else the latest 3.x. */
  python?: VersionSource
  /** The Python minors `requires-python` admits, capped at the newest stable: a test job's matrix. */
  pythonMinors?: string[]
}

const NODE_VERSION_FILES = ['.nvmrc', '.node-version']
const LOCK_FILES = ['package-lock.json', 'npm-shrinkwrap.json']

/** The project facts of the folder `root` (the tasks file's folder). */
export function detectProject(root: string): ProjectFacts {
  const read = (name: string): string | undefined => {
    const file = path.join(root, name)
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined
  }
  const facts: ProjectFacts = { node: nodeVersion(root, read('package.json')) }
  const lockFile = LOCK_FILES.find((name) => existsSync(path.join(root, name)))
  if (lockFile) facts.lockFile = lockFile
  const pyproject = read('pyproject.toml')
  if (pyproject !== undefined) {
    facts.python = existsSync(path.join(root, '.python-version'))
      ? { file: '.python-version' }
      : { version: pythonVersionSpec(requiresPython(pyproject)) }
    const minors = supportedMinors(requiresPython(pyproject))
    if (minors) facts.pythonMinors = minors
  }
  return facts
}

function nodeVersion(root: string, packageJson: string | undefined): VersionSource {
  const file = NODE_VERSION_FILES.find((name) => existsSync(path.join(root, name)))
  if (file) return { file }
  const engines = packageJson === undefined ? undefined : enginesNode(packageJson)
  return { version: engines ?? 'lts/*' }
}

function enginesNode(packageJson: string): string | undefined {
  try {
    const range = (JSON.parse(packageJson) as { engines?: { node?: unknown } }).engines?.node
    return typeof range === 'string' && range.trim() !== '' ? range.trim() : undefined
  } catch {
    // A broken package.json fails `npm ci` with npm's own message; the workflow need not.
    return undefined
  }
}

/** `requires-python` of the `[project]` table, when it is a plain string. */
export function requiresPython(pyproject: string): string | undefined {
  let table = ''
  for (const line of pyproject.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*(#.*)?$/.exec(line)
    if (header) table = header[1]!.trim()
    else if (table === 'project') {
      const value = /^\s*requires-python\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(line)
      if (value) return (value[1] ?? value[2])!.trim()
    }
  }
  return undefined
}
