/**
 * `run --init`: a tasks.config.ts from one of the ready-made templates in
 * tasks/ (or, with `--from`, converted from a run.sh, a Makefile or a
 * package.json), a .env.example, and what must never be committed or
 * packaged in .gitignore. It never overwrites a tasks file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { RuntsError } from '../errors.js'
import { tasksFileIn } from '../load/find.js'
import { PRE_COMMIT_CONFIG, TEMPLATES, type TemplateName } from './templates.js'

export { TEMPLATES, type TemplateName }

export interface InitResult {
  template: TemplateName
  written: string[]
}

/** `templates`: the folder holding this package's tasks/ templates. */
export function init(dir: string, requested: string | undefined, templates: string): InitResult {
  if (requested !== undefined) chooseTemplate(dir, requested)
  refuseExisting(dir, 'to start from a template')
  const template = chooseTemplate(dir, requested)
  const written: string[] = []
  writeFileSync(path.join(dir, 'tasks.config.ts'), readFileSync(path.join(templates, TEMPLATES[template].file), 'utf8'))
  written.push('tasks.config.ts')
  if (writeIfMissing(path.join(dir, '.env.example'), TEMPLATES[template].envExample)) written.push('.env.example')
  if (template === 'python' && writeIfMissing(path.join(dir, '.pre-commit-config.yaml'), PRE_COMMIT_CONFIG))
    written.push('.pre-commit-config.yaml')
  if (ignore(dir, TEMPLATES[template].ignore)) written.push('.gitignore')
  return { template, written }
}

/** --init never overwrites a tasks file. */
export function refuseExisting(dir: string, why: string): void {
  const existing = tasksFileIn(dir)
  if (existing) {
    throw new RuntsError('usage', `${path.basename(existing)} already exists in ${dir}; --init does not overwrite it`, {
      hint: `move it away first ${why}`,
    })
  }
}

/** Adds the entries .gitignore lacks; true when it wrote. */
export function ignore(dir: string, entries: readonly string[]): boolean {
  const gitignore = path.join(dir, '.gitignore')
  const ignored = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : ''
  const lines = new Set(ignored.split(/\r?\n/).map((line) => line.trim().replace(/^\//, '')))
  const missing = entries.filter((entry) => !lines.has(entry) && !lines.has(entry.replace(/\/$/, '')))
  if (missing.length === 0) return false
  writeFileSync(gitignore, `${ignored}${ignored && !ignored.endsWith('\n') ? '\n' : ''}${missing.join('\n')}\n`)
  return true
}

function writeIfMissing(file: string, text: string): boolean {
  if (existsSync(file)) return false
  writeFileSync(file, text)
  return true
}

function chooseTemplate(dir: string, requested: string | undefined): TemplateName {
  const names = Object.keys(TEMPLATES) as TemplateName[]
  if (requested !== undefined) {
    if (requested === 'npm') refuseWorkspacesRoot(dir)
    if ((names as string[]).includes(requested)) return requested as TemplateName
    throw new RuntsError('usage', `no template named '${requested}'`, { hint: `choose one of: ${names.join(', ')}` })
  }
  const python = existsSync(path.join(dir, 'pyproject.toml'))
  const npm = isNpmPackage(path.join(dir, 'package.json'))
  if (npm && !python) refuseWorkspacesRoot(dir)
  if (python && !npm) return 'python'
  if (npm && !python) return 'npm'
  throw new RuntsError(
    'usage',
    python
      ? `${dir} has both a pyproject.toml and a package.json with a name or scripts`
      : `cannot tell what kind of project ${dir} is: it has neither pyproject.toml nor package.json`,
    { hint: `choose with --template ${names.join('|')}` },
  )
}

/**
 * The npm template publishes the package of its folder; the root of npm workspaces (`"workspaces":
 * ["packages/*"]`, private) is no package: its packages are.
 */
function refuseWorkspacesRoot(dir: string): void {
  let workspaces: unknown
  try {
    const raw = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { workspaces?: unknown }).workspaces
    workspaces = Array.isArray(raw) ? raw : (raw as { packages?: unknown } | undefined)?.packages
  } catch {
    return
  }
  if (!Array.isArray(workspaces) || workspaces.length === 0) return
  const where = workspaces.join(', ')
  throw new RuntsError('usage', `${dir} is the root of npm workspaces (${where}), not a package the npm template can publish`, {
    hint: `run --init in the folder of the package to publish (in ${where})`,
  })
}

/**
 * A package.json that is an npm package (a name, or scripts), not just the one `npm i -D runts`
 * made in a Python project.
 */
function isNpmPackage(file: string): boolean {
  if (!existsSync(file)) return false
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; scripts?: Record<string, unknown> }
    return typeof manifest.name === 'string' || Object.keys(manifest.scripts ?? {}).length > 0
  } catch {
    return true
  }
}
