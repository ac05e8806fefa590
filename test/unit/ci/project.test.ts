import { afterAll, describe, expect, it } from 'vitest'
import { detectProject, requiresPython } from '../../../src/ci/project.js'
import { pythonVersionSpec } from '../../../src/ci/python-version.js'
import { folder, removeFolders } from './fixtures.js'

afterAll(removeFolders)

describe('detectProject', () => {
  it('takes Node from .nvmrc first, then engines.node, else the latest LTS', () => {
    const engines = JSON.stringify({ engines: { node: '>=20.19' } })
    expect(detectProject(folder({ 'package.json': engines, '.nvmrc': '22\n' })).node).toEqual({ file: '.nvmrc' })
    expect(detectProject(folder({ 'package.json': engines, '.node-version': '22\n' })).node).toEqual({ file: '.node-version' })
    expect(detectProject(folder({ 'package.json': engines })).node).toEqual({ version: '>=20.19' })
    expect(detectProject(folder({ 'package.json': '{}' })).node).toEqual({ version: 'lts/*' })
    expect(detectProject(folder({ 'package.json': '{ broken' })).node).toEqual({ version: 'lts/*' })
    expect(detectProject(folder({})).node).toEqual({ version: 'lts/*' })
  })

  it("finds npm's lock file", () => {
    expect(detectProject(folder({ 'package.json': '{}', 'package-lock.json': '{}' })).lockFile).toBe('package-lock.json')
    expect(detectProject(folder({ 'package.json': '{}', 'npm-shrinkwrap.json': '{}' })).lockFile).toBe('npm-shrinkwrap.json')
    expect(detectProject(folder({ 'package.json': '{}', 'yarn.lock': '' })).lockFile).toBeUndefined()
  })

  it('sets up Python only for a pyproject.toml: .python-version first, then requires-python', () => {
    expect(detectProject(folder({ 'package.json': '{}' })).python).toBeUndefined()
    const pyproject = '[project]\nname = "x"\nrequires-python = ">=3.9, <3.13"\n'
    expect(detectProject(folder({ 'pyproject.toml': pyproject })).python).toEqual({ version: '>=3.9 <3.13' })
    expect(detectProject(folder({ 'pyproject.toml': pyproject, '.python-version': '3.12\n' })).python).toEqual({ file: '.python-version' })
    expect(detectProject(folder({ 'pyproject.toml': '[project]\nname = "x"\n' })).python).toEqual({ version: '3.x' })
  })
})

describe('runts from PyPI (a pyproject.toml and no package.json)', () => {
  it('installs the dev extra or group that lists runts with pip, else runts itself; with a package.json, npm as before', () => {
    const extra = '[project]\nname = "x"\n\n[project.optional-dependencies]\ntest = ["pytest"]\ndev = [\n  "runts>=0.1.0",\n]\n'
    expect(detectProject(folder({ 'pyproject.toml': extra })).pipInstall).toBe("python -m pip install -e '.[dev]'")
    const group = '[project]\nname = "x"\n\n[dependency-groups]\nlint = ["ruff", "runts"]\n'
    expect(detectProject(folder({ 'pyproject.toml': group })).pipInstall).toBe(
      'python -m pip install --upgrade pip\npython -m pip install --group lint',
    )
    // A name that only starts the same, or runts in another table, is not runts.
    const other = '[project]\nname = "x"\ndependencies = ["runts"]\n[project.optional-dependencies]\ndev = ["runts-extra"]\n'
    expect(detectProject(folder({ 'pyproject.toml': other })).pipInstall).toBe('python -m pip install runts')
    expect(detectProject(folder({ 'pyproject.toml': extra, 'package.json': '{}' })).pipInstall).toBeUndefined()
  })
})

describe('requires-python', () => {
  it('is read from the [project] table only', () => {
    expect(requiresPython(`[tool.other]\nrequires-python = "==2.7"\n\n[project] # the package\nrequires-python = '>=3.10'\n`)).toBe(
      '>=3.10',
    )
    expect(requiresPython('[project]\nname = "x"\n[tool.x]\nrequires-python = ">=3.10"\n')).toBeUndefined()
  })

  it('becomes the semver range setup-python resolves', () => {
    expect(pythonVersionSpec('>=3.8')).toBe('>=3.8')
    expect(pythonVersionSpec(' >=3.9 , <3.13 ')).toBe('>=3.9 <3.13')
    expect(pythonVersionSpec('~=3.10')).toBe('>=3.10 <4')
    expect(pythonVersionSpec('~=3.10.2')).toBe('>=3.10.2 <3.11')
    expect(pythonVersionSpec('==3.11.*')).toBe('3.11.x')
    expect(pythonVersionSpec('>=3.9,!=3.9.1')).toBe('>=3.9')
    expect(pythonVersionSpec('3.12')).toBe('3.12')
    expect(pythonVersionSpec(undefined)).toBe('3.x')
    expect(pythonVersionSpec('!=3.0')).toBe('3.x')
  })
})
