/**
 * `run --init [--template python|npm]`: a tasks.config.ts from one of the
 * ready-made templates in tasks/, a .env.example, and `.env` in .gitignore.
 * It never overwrites a tasks file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { RuntsError } from '../errors.js'
import { TASKS_FILE_NAMES } from '../load/find.js'

export const TEMPLATES = {
  npm: {
    file: 'npm-package.ts',
    detect: 'package.json',
    envExample: `# Copy to .env (git-ignored) and fill in.
TEST_REGISTRY=https://npm.example.test/
TEST_NPM_TOKEN=
PROD_REGISTRY=https://registry.npmjs.org/
PROD_NPM_TOKEN=
`,
  },
  python: {
    file: 'python-package.ts',
    detect: 'pyproject.toml',
    envExample: `# Copy to .env (git-ignored) and fill in.
# Tokens from https://test.pypi.org/manage/account/token/ and https://pypi.org/manage/account/token/
TEST_PYPI_TOKEN=
PYPI_TOKEN=
# Optional: another Python, other repositories, arguments for python -m build (e.g. --no-isolation)
# PYTHON=python3
# TEST_PYPI_URL=https://test.pypi.org/legacy/
# PYPI_URL=https://upload.pypi.org/legacy/
# PYTHON_BUILD_ARGS=
`,
  },
} as const

export type TemplateName = keyof typeof TEMPLATES

export interface InitResult {
  template: TemplateName
  written: string[]
}

/** `templates`: the folder holding this package's tasks/ templates. */
export function init(dir: string, requested: string | undefined, templates: string): InitResult {
  if (requested !== undefined && !(requested in TEMPLATES)) chooseTemplate(dir, requested)
  const existing = TASKS_FILE_NAMES.map((name) => path.join(dir, name)).find((file) => existsSync(file))
  if (existing) {
    throw new RuntsError('usage', `${path.basename(existing)} already exists in ${dir}; --init does not overwrite it`, {
      hint: 'move it away first to start from a template',
    })
  }
  const template = chooseTemplate(dir, requested)
  const written: string[] = []
  writeFileSync(path.join(dir, 'tasks.config.ts'), readFileSync(path.join(templates, TEMPLATES[template].file), 'utf8'))
  written.push('tasks.config.ts')
  const example = path.join(dir, '.env.example')
  if (!existsSync(example)) {
    writeFileSync(example, TEMPLATES[template].envExample)
    written.push('.env.example')
  }
  const gitignore = path.join(dir, '.gitignore')
  const ignored = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : ''
  const lines = new Set(ignored.split(/\r?\n/).map((line) => line.trim().replace(/^\//, '')))
  const missing = ['.env', '.env.local'].filter((entry) => !lines.has(entry))
  if (missing.length > 0) {
    writeFileSync(gitignore, `${ignored}${ignored && !ignored.endsWith('\n') ? '\n' : ''}${missing.join('\n')}\n`)
    written.push('.gitignore')
  }
  return { template, written }
}

function chooseTemplate(dir: string, requested: string | undefined): TemplateName {
  const names = Object.keys(TEMPLATES) as TemplateName[]
  if (requested !== undefined) {
    if ((names as string[]).includes(requested)) return requested as TemplateName
    throw new RuntsError('usage', `no template named '${requested}'`, {
      hint: `choose one of: ${names.join(', ')}`,
    })
  }
  const found = names.filter((name) => existsSync(path.join(dir, TEMPLATES[name].detect)))
  if (found.length === 1) return found[0]!
  throw new RuntsError(
    'usage',
    found.length === 0
      ? `cannot tell what kind of project ${dir} is: it has neither ${names.map((n) => TEMPLATES[n].detect).join(' nor ')}`
      : `${dir} has both ${found.map((n) => TEMPLATES[n].detect).join(' and ')}`,
    { hint: `choose with --template ${names.join('|')}` },
  )
}
