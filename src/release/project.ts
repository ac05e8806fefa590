/**
 * The project's name and version, from pyproject.toml (`[project]`, else
 * Poetry's `[tool.poetry]`) or package.json. A pyproject.toml with a
 * `[project]` (or Poetry) name wins: in a Python project, package.json may
 * hold nothing but runts.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { projectRoot } from './check.js'

export interface ProjectInfo {
  kind: 'python' | 'npm'
  /** The file it was read from. */
  file: string
  name: string
  /** The version written in the file; undefined when it comes from elsewhere (see `versionFrom`). */
  version?: string
  /** `file`: written there; `tag`: computed from the git tag (setuptools-scm, hatch-vcs, …); `unknown`: dynamic, from something runts does not read. */
  versionFrom: 'file' | 'tag' | 'unknown'
  /** pyproject.toml's table that holds the version: `project`, or Poetry's `tool.poetry`. */
  table?: 'project' | 'tool.poetry'
}

type Table = Record<string, unknown>

/** Read the project in `dir` (the project root); `kind` picks one when both files are there. Throws with the file and what to do. */
export async function readProject(dir: string = projectRoot(), kind?: 'python' | 'npm'): Promise<ProjectInfo> {
  const pyproject = kind === 'npm' ? undefined : await readText(path.join(dir, 'pyproject.toml'))
  if (pyproject !== undefined) {
    const info = await fromPyproject(path.join(dir, 'pyproject.toml'), pyproject)
    if (info) return info
  }
  const packageJson = kind === 'python' ? undefined : await readText(path.join(dir, 'package.json'))
  if (packageJson !== undefined) return fromPackageJson(path.join(dir, 'package.json'), packageJson)
  const looked =
    kind === 'npm' ? 'package.json' : kind === 'python' ? 'pyproject.toml with a [project] name' : 'pyproject.toml or package.json'
  throw new Error(`no ${looked} in ${dir}: run from the project root, or give the name and version`)
}

async function fromPyproject(file: string, text: string): Promise<ProjectInfo | undefined> {
  // Loaded here, not before: only release checks read TOML.
  const { parse } = await import('smol-toml')
  let toml: Table
  try {
    toml = parse(text) as Table
  } catch (error) {
    // smol-toml's message carries a code frame after its first line; the position is in fields.
    const { line, column, message } = error as { line?: number; column?: number; message?: string }
    const where = line ? `:${line}:${column ?? 1}` : ''
    throw new Error(`${file}${where}: ${String(message ?? error).split('\n')[0]}: fix the TOML`)
  }
  const project = table(toml.project)
  const poetry = table(table(toml.tool).poetry)
  const name = str(project.name) ?? str(poetry.name)
  if (name === undefined) return undefined
  const version = str(project.version) ?? (project.name === undefined ? str(poetry.version) : undefined)
  if (project.version !== undefined && typeof project.version !== 'string') {
    throw new Error(`${file}: [project] version must be a string: version = "${String(project.version)}"`)
  }
  const dynamic = Array.isArray(project.dynamic) && project.dynamic.includes('version')
  const versionFrom = version !== undefined ? 'file' : dynamic && fromVcs(toml) ? 'tag' : 'unknown'
  if (version === undefined && !dynamic) {
    throw new Error(`${file}: [project] has no version: add version = "0.1.0", or dynamic = ["version"] with setuptools-scm`)
  }
  const info: ProjectInfo = { kind: 'python', file, name, version, versionFrom }
  if (version !== undefined) info.table = str(project.version) !== undefined ? 'project' : 'tool.poetry'
  return info
}

/** Does a VCS plugin compute the version (setuptools-scm, hatch-vcs, pdm's scm source, versioningit)? */
function fromVcs(toml: Table): boolean {
  const tool = table(toml.tool)
  if (tool.setuptools_scm !== undefined || tool['setuptools-scm'] !== undefined || tool.versioningit !== undefined) return true
  if (str(table(table(tool.hatch).version).source) === 'vcs') return true
  if (str(table(table(tool.pdm).version).source) === 'scm') return true
  const requires = table(toml['build-system']).requires
  return Array.isArray(requires) && requires.some((r) => typeof r === 'string' && /^\s*(setuptools[-_]scm|hatch-vcs)\b/i.test(r))
}

function fromPackageJson(file: string, text: string): ProjectInfo {
  let json: Table
  try {
    json = table(JSON.parse(text))
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : error}`)
  }
  const name = str(json.name)
  if (name === undefined) throw new Error(`${file} has no "name": add one, it is what gets published`)
  const version = str(json.version)
  if (version === undefined) throw new Error(`${file} has no "version": add one, e.g. "version": "0.1.0"`)
  return { kind: 'npm', file, name, version, versionFrom: 'file' }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch {
    return undefined
  }
}

function table(value: unknown): Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Table) : {}
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}
