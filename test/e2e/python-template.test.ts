/**
 * The Python template as a Python developer runs it, written by `run --init`, against two real
 * package indexes (pypiserver from the test env, token login as TestPyPI): a test index and a prod
 * index. Stand-ins for twine, pre-commit and pytest on PATH fail loudly, so every pass below used the
 * tools of PYTHON. One project goes through a whole release in order; a setuptools-scm project checks
 * versions that come from the tag.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitRepo, pyproject } from '../helpers/git-repo.js'
import { cli, repo, runProcess } from '../helpers/project.js'
import { type PackageIndex, startPackageIndex } from '../helpers/pypi.js'
import { exec, pythonEnv } from '../helpers/python.js'

let python: string
let testIndex: PackageIndex
let prodIndex: PackageIndex
let standIns: string

/** A project for the template: the files, runts linked in, `run --init`, a .env for both indexes; committed. */
async function templateProject(files: Record<string, string>): Promise<GitRepo> {
  const p = new GitRepo(files, { commit: false })
  mkdirSync(path.join(p.dir, 'node_modules'))
  symlinkSync(repo, path.join(p.dir, 'node_modules', 'runts'))
  const init = await runIn(p, ['--init'])
  expect(init.stdout).toContain('the python template')
  const env = {
    PYTHON: python,
    PYTHON_BUILD_ARGS: '--no-isolation',
    TEST_PYPI_URL: testIndex.uploadUrl,
    TEST_PYPI_INDEX_URL: testIndex.indexUrl,
    TEST_PYPI_TOKEN: testIndex.token,
    PYPI_URL: prodIndex.uploadUrl,
    PYPI_INDEX_URL: prodIndex.indexUrl,
    PYPI_TOKEN: prodIndex.token,
  }
  writeFileSync(
    path.join(p.dir, '.env'),
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  )
  return p.commit('first')
}

function runIn(p: GitRepo, args: string[]) {
  return runProcess(process.execPath, [cli, ...args], { cwd: p.dir, env: { PATH: `${standIns}:${process.env.PATH}` } })
}

const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr
/** A local pre-commit hook: pre-commit needs no network to run it. */
const preCommit = 'repos:\n- repo: local\n  hooks:\n  - id: no-tabs\n    name: no tabs\n    entry: "\\t"\n    language: pygrep\n'

beforeAll(async () => {
  python = (await pythonEnv()).python
  ;[testIndex, prodIndex] = await Promise.all([startPackageIndex(), startPackageIndex()])
  standIns = path.join(testIndex.packages, '..', 'stand-ins')
  mkdirSync(standIns)
  for (const tool of ['twine', 'pre-commit', 'pytest']) {
    writeFileSync(path.join(standIns, tool), `#!/bin/sh\necho "the ${tool} on PATH ran" >> "${standIns}/ran"\nexit 3\n`, { mode: 0o755 })
  }
}, 300_000)

afterAll(async () => {
  await Promise.all([testIndex?.stop(), prodIndex?.stop()])
})

describe('a hatchling project, from release:test to release:prod', () => {
  const files = ['runts_py_probe-0.1.0-py3-none-any.whl', 'runts_py_probe-0.1.0.tar.gz']
  let p: GitRepo
  const run = (args: string[]) => runIn(p, args)

  beforeAll(async () => {
    p = await templateProject({
      'pyproject.toml': `${pyproject('runts-py-probe', '0.1.0', 'hatchling')}readme = "README.md"\n\n[tool.pytest.ini_options]\npythonpath = ["src"]\n`,
      'README.md': '# probe\n',
      'src/runts_py_probe/__init__.py': 'answer = 42\n',
      'tests/test_answer.py': 'from runts_py_probe import answer\n\n\ndef test_answer():\n    assert answer == 42\n',
      '.pre-commit-config.yaml': preCommit,
    })
    p.tag('v0.1.0')
  }, 300_000)
  afterAll(() => p?.remove())

  it('release:test lints and tests with the tools of PYTHON, uploads only this version, installs it from the test index and imports it', async () => {
    mkdirSync(path.join(p.dir, 'dist'))
    writeFileSync(path.join(p.dir, 'dist', 'runts_py_probe-0.0.9.tar.gz'), 'an older build')
    const r = await run(['release:test'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toContain('1 passed')
    expect(r.stdout).toContain(`runts-py-probe 0.1.0 installs from ${testIndex.indexUrl} and imports (import runts_py_probe)`)
    expect(readdirSync(testIndex.packages).sort()).toEqual(files)
    expect(existsSync(path.join(standIns, 'ran'))).toBe(false)
    expect(output(r)).not.toContain(testIndex.token)
    // node_modules/ (runts itself) never reaches the sdist: --init put it in .gitignore.
    const { stdout } = await exec('tar', ['-tzf', path.join(p.dir, 'dist', files[1]!)])
    expect(stdout).toContain('runts_py_probe-0.1.0/src/runts_py_probe/__init__.py')
    expect(stdout).not.toContain('node_modules')
  }, 300_000)

  it('publish:test on its own refuses the version already on the test index, before anything runs; --dry-run says so', async () => {
    const r = await run(['publish:test'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`publish:test: runts-py-probe 0.1.0 (${files.join(', ')}) is already on ${testIndex.indexUrl}`)
    expect(r.stderr).toContain('bump the version in pyproject.toml')
    expect(r.stderr).not.toContain('start build')
    const dry = await run(['--dry-run', 'publish:test'])
    expect(dry.code).toBe(0)
    expect(dry.stderr).toContain('publish:test: ✓ uploadAndIndexAgree')
    expect(dry.stderr).toContain('publish:test: ✗ versionNotOnTestIndex: would fail: runts-py-probe 0.1.0')
  }, 120_000)

  it('publish:prod refuses a dirty tree and an untagged HEAD, naming the files and the tag', async () => {
    p.write({ 'notes.txt': 'scratch' })
    let r = await run(['--yes', 'publish:prod'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('notes.txt (untracked)')
    p.commit('notes')
    r = await run(['--yes', 'publish:prod'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('HEAD is not the commit tagged v0.1.0')
    expect(r.stderr).not.toContain('start build')
    p.git('reset', '-q', '--hard', 'v0.1.0')
  }, 120_000)

  it('publish:prod asks a question naming package, version and index; without a terminal or --yes nothing runs', async () => {
    const dry = await run(['--dry-run', 'publish:prod'])
    expect(dry.stderr).toContain(`a real run asks first: Upload runts-py-probe 0.1.0 to ${prodIndex.uploadUrl}?`)
    expect(dry.stderr).toContain('publish:prod: ✓ the git working tree is clean')
    expect(dry.stderr).toContain('publish:prod: ✓ HEAD carries the version tag')
    const r = await run(['publish:prod'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("'publish:prod' asks for confirmation")
    expect(readdirSync(prodIndex.packages)).toEqual([])
  }, 120_000)

  it('release:prod after release:test promotes: the test index copy is installed, not uploaded again, then it goes to prod', async () => {
    const uploaded = readdirSync(testIndex.packages).map((f) => statSync(path.join(testIndex.packages, f)).mtimeMs)
    const r = await run(['--yes', 'release:prod'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toContain(`runts-py-probe 0.1.0 is already on ${testIndex.indexUrl}: not uploaded again, checking that it installs`)
    expect(r.stdout).toContain('installs from')
    // Nothing changed since release:test: lint is up to date, and PyPI gets the very files TestPyPI got.
    expect(r.stderr).toMatch(/lint +\S+ +up.to.date/)
    expect(r.stderr).toMatch(/build +\S+ +restored/)
    expect(readdirSync(testIndex.packages).map((f) => statSync(path.join(testIndex.packages, f)).mtimeMs)).toEqual(uploaded)
    expect(readdirSync(prodIndex.packages).sort()).toEqual(files)
    expect(output(r)).not.toContain(prodIndex.token)
    const again = await run(['--yes', 'publish:prod'])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain(`runts-py-probe 0.1.0 (${files.join(', ')}) is already on ${prodIndex.indexUrl}`)
  }, 300_000)

  it('release:test stops at a failing test before anything is uploaded; arguments reach twine', async () => {
    p.write({
      'pyproject.toml': readFileSync(path.join(p.dir, 'pyproject.toml'), 'utf8').replace('0.1.0', '0.2.0'),
      'tests/test_answer.py': 'from runts_py_probe import answer\n\n\ndef test_answer():\n    assert answer == 41\n',
    })
    const failing = await run(['release:test'])
    expect(failing.code).toBe(1)
    expect(failing.stdout).toContain('1 failed')
    expect(failing.stderr).toMatch(/- publish:test +not started/)
    expect(readdirSync(testIndex.packages)).toHaveLength(2)
    p.write({ 'tests/test_answer.py': 'from runts_py_probe import answer\n\n\ndef test_answer():\n    assert answer == 42\n' })
    const r = await run(['publish:test', '--verbose'])
    expect(r.code, output(r)).toBe(0)
    // What twine prints only with --verbose.
    expect(output(r)).toMatch(/username: __token__/)
    expect(output(r)).toMatch(/password: <hidden>/)
    expect(readdirSync(testIndex.packages)).toHaveLength(4)
    expect(output(r)).not.toContain(testIndex.token)
  }, 300_000)
})

describe('a setuptools-scm project: the version is the tag', () => {
  let p: GitRepo
  const run = (args: string[]) => runIn(p, args)
  const built = () => readdirSync(path.join(p.dir, 'dist')).sort()

  beforeAll(async () => {
    p = await templateProject({
      'pyproject.toml': `${pyproject('runts-scm-probe', undefined, 'setuptools')}\n[tool.pytest.ini_options]\npythonpath = ["src"]\n`,
      'src/runts_scm_probe/__init__.py': 'answer = 42\n',
      'tests/test_answer.py': 'from runts_scm_probe import answer\n\n\ndef test_answer():\n    assert answer == 42\n',
      '.pre-commit-config.yaml': preCommit,
    })
    p.tag('v1.0.0')
  }, 300_000)
  afterAll(() => p?.remove())

  it('release:test publishes the tagged version', async () => {
    const r = await run(['release:test'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toContain(`runts-scm-probe 1.0.0 installs from ${testIndex.indexUrl} and imports`)
    expect(readdirSync(testIndex.packages).filter((f) => f.startsWith('runts_scm_probe'))).toHaveLength(2)
  }, 300_000)

  it('a new tag rebuilds (a cached build never keeps the old version), and an unchanged tree does not', async () => {
    p.commit('next').tag('v1.0.1')
    const r = await run(['check'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stderr).not.toMatch(/build .*(up.to.date|restored)/)
    expect(built()).toEqual(expect.arrayContaining(['runts_scm_probe-1.0.1-py3-none-any.whl', 'runts_scm_probe-1.0.1.tar.gz']))
    const again = await run(['check'])
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/build .*up.to.date/)
  }, 300_000)

  it('publish:prod refuses a HEAD past the tag: its version would be a dev version no index takes', async () => {
    p.commit('after the tag')
    const r = await run(['--yes', 'publish:prod'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/would be 1\.0\.2\.dev1\+g[0-9a-f]+, which no index accepts/)
    expect(r.stderr).toContain('HEAD carries no v* tag')
  }, 120_000)
})
