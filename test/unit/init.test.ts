import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { init } from '../../src/init/init.js'
import { VERSION } from '../../src/version.js'
import { repo } from '../helpers/project.js'

/** The runts package: its tasks/ templates and its types. */
const runtsPackage = repo
const folder = (files: Record<string, string>) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-init-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
  return dir
}
const npmPackage = JSON.stringify({ name: 'pkg', version: '1.0.0' })
/** What `npm i -D runts` leaves in a Python project. */
const toolingOnly = JSON.stringify({ devDependencies: { runts: '^0.1.0' } })

describe('run --init', () => {
  it('picks the template from pyproject.toml or an npm package.json', () => {
    expect(init(folder({ 'pyproject.toml': '' }), undefined, runtsPackage).template).toBe('python')
    expect(init(folder({ 'package.json': npmPackage }), undefined, runtsPackage).template).toBe('npm')
  })

  it('picks python in a Python project where installing runts made a package.json', () => {
    expect(init(folder({ 'pyproject.toml': '', 'package.json': toolingOnly }), undefined, runtsPackage).template).toBe('python')
  })

  it('writes the template, a .env.example, and what must not be committed into .gitignore, once', () => {
    const dir = folder({ 'package.json': npmPackage, '.gitignore': 'node_modules' })
    expect(init(dir, undefined, runtsPackage).written).toEqual(['tasks.config.ts', '.env.example', '.gitignore'])
    expect(readFileSync(path.join(dir, 'tasks.config.ts'), 'utf8')).toBe(readFileSync(path.join(repo, 'tasks', 'npm-package.ts'), 'utf8'))
    expect(readFileSync(path.join(dir, '.env.example'), 'utf8')).toContain('TEST_NPM_TOKEN=')
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules\n.env\n.env.local\ndist/\ndist-pack/\n')
  })

  it('for Python, keeps node_modules/ and build output out of git and out of the sdist, and writes a starter pre-commit config', () => {
    const dir = folder({ 'pyproject.toml': '', 'package.json': toolingOnly })
    expect(init(dir, undefined, runtsPackage).written).toEqual(['tasks.config.ts', '.env.example', '.pre-commit-config.yaml', '.gitignore'])
    const ignored = readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n')
    expect(ignored).toEqual(expect.arrayContaining(['node_modules/', 'dist/', '.env', '.pytest_cache/']))
    expect(readFileSync(path.join(dir, '.pre-commit-config.yaml'), 'utf8')).toContain('repos:')
    const kept = folder({ 'pyproject.toml': '', 'package.json': toolingOnly, '.pre-commit-config.yaml': 'repos: []\n' })
    expect(init(kept, undefined, runtsPackage).written).not.toContain('.pre-commit-config.yaml')
  })

  it('in a Python project without package.json (runts from PyPI): runts in the dev extras, types for the editor, no npm file', () => {
    const pyproject = '[project]\nname = "probe"  # the name\nversion = "0.1.0"\n\n[tool.pytest.ini_options]\npythonpath = ["src"]\n'
    const dir = folder({ 'pyproject.toml': pyproject })
    const result = init(dir, undefined, runtsPackage)
    expect(result.written).toEqual([
      'tasks.config.ts',
      '.env.example',
      '.pre-commit-config.yaml',
      'pyproject.toml',
      'tsconfig.json',
      '.runts/',
      '.gitignore',
    ])
    expect(result.pypi?.dev).toMatchObject({ result: 'added', place: { kind: 'extra', name: 'dev' } })
    expect(readFileSync(path.join(dir, 'pyproject.toml'), 'utf8')).toBe(
      `${pyproject}\n[project.optional-dependencies]\ndev = ["runts>=${VERSION}"]\n`,
    )
    expect(existsSync(path.join(dir, 'package.json'))).toBe(false)
    expect(existsSync(path.join(dir, 'node_modules'))).toBe(false)
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n')).toContain('.runts/')
    expect(readFileSync(path.join(dir, '.runts', 'version'), 'utf8')).toBe(`${VERSION}\n`)
    expect(existsSync(path.join(dir, '.runts', 'node_modules', 'runts', 'dist', 'types', 'index.d.ts'))).toBe(true)
    // zx's declarations come along, its code does not.
    expect(existsSync(path.join(dir, '.runts', 'node_modules', 'zx', 'build', 'core.d.ts'))).toBe(true)
    expect(existsSync(path.join(dir, '.runts', 'node_modules', 'zx', 'build', 'core.js'))).toBe(false)
  })

  it('never overwrites a tasks file', () => {
    const dir = folder({ 'package.json': npmPackage, 'tasks.config.mjs': 'export {}' })
    expect(() => init(dir, undefined, runtsPackage)).toThrow(/tasks.config.mjs already exists/)
  })

  it('asks for --template when it cannot tell, and rejects an unknown one', () => {
    expect(() => init(folder({}), undefined, runtsPackage)).toThrow(/cannot tell/)
    expect(() => init(folder({ 'package.json': npmPackage, 'pyproject.toml': '' }), undefined, runtsPackage)).toThrow(/has both/)
    expect(() => init(folder({}), 'rust', runtsPackage)).toThrow(/no template named 'rust'/)
    expect(init(folder({}), 'python', runtsPackage).template).toBe('python')
  })
})
