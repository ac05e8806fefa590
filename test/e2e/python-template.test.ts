/**
 * The Python template as a Python developer runs it, written by `run --init`, against two real
 * package indexes (pypiserver from the test env, token login as TestPyPI): a test index and a prod
 * index. As the README has it: runts installed by npm (a package.json and its lock), the project's venv
 * in .venv, `PYTHON=.venv/bin/python`. Stand-ins for twine, pre-commit and pytest on PATH fail loudly,
 * so every pass below used the tools of PYTHON. One project goes through a whole release in order, as
 * the README's walk-through does; a setuptools-scm project checks versions that come from the tag.
 */
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type GitRepo, pyproject } from '../helpers/git-repo.js'
import { LiveCli, stopAll } from '../helpers/live.js'
import { cli, runProcess } from '../helpers/project.js'
import { type PackageIndex, startPackageIndex } from '../helpers/pypi.js'
import { exec, pythonEnv } from '../helpers/python.js'
import { PythonProject } from '../helpers/python-project.js'

let testIndex: PackageIndex
let prodIndex: PackageIndex
let standIns: string

/** A project for the template as the README sets one up (test/helpers/python-project.ts), as a git repository. */
async function templateProject(files: Record<string, string>): Promise<GitRepo> {
  const { repo } = await PythonProject.create(files, { test: testIndex, prod: prodIndex, pathFirst: standIns })
  // pytest writes .pytest_cache/ on every run.
  expect(readFileSync(path.join(repo.dir, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['.venv/', '.pytest_cache/']))
  return repo
}

function runIn(p: GitRepo, args: string[]) {
  return runProcess(process.execPath, [cli, ...args], { cwd: p.dir, env: { PATH: `${standIns}:${process.env.PATH}` } })
}

const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr
/**
 * Local pre-commit hooks: pre-commit needs no network to run them. The second writes a cache as ruff
 * does (a folder that git-ignores itself), new on every run.
 */
const preCommit = `repos:
- repo: local
  hooks:
  - id: no-tabs
    name: no tabs
    entry: "\\t"
    language: pygrep
  - id: cache
    name: writes a cache
    entry: python3 -c "import os, time; os.makedirs('.ruff_cache', exist_ok=True); open('.ruff_cache/.gitignore', 'w').write('*'); open('.ruff_cache/stamp', 'w').write(str(time.time()))"
    language: system
    pass_filenames: false
    always_run: true
`
/** The SHA-256 of each file in an index's folder, by name. */
const digests = (packages: string, prefix: string) =>
  Object.fromEntries(
    readdirSync(packages)
      .filter((f) => f.startsWith(prefix))
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(path.join(packages, f)))
          .digest('hex'),
      ]),
  )

beforeAll(async () => {
  // The Python test env, made once before the indexes start (its first install takes half a minute).
  await pythonEnv()
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

/** The files runts brings into a Python project that a build backend would pack into the sdist. */
const RUNNER_FILES = ['.env.example', 'package-lock.json', 'package.json', 'tasks.config.ts']
const sdistFiles = async (sdist: string) => (await exec('tar', ['-tzf', sdist])).stdout.split('\n').map((f) => f.replace(/^[^/]*\//, ''))

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
  }, 300_000)
  afterAll(() => p?.remove())

  it("check refuses an sdist that carries runts' own files (hatchling packs what git tracks), naming them and the table that leaves them out", async () => {
    // The workflow too, once written and committed (README's GitHub Actions section).
    const ci = await run(['--ci', 'github'])
    expect(ci.code, output(ci)).toBe(0)
    // A secret at any depth too: direnv's .envrc in a subfolder, which .gitignore does not name.
    p.write({ 'config/.envrc': 'export API_TOKEN=not-for-pypi\n' })
    p.commit('the workflow')
    const ours = [...RUNNER_FILES, '.github/workflows/runts.yml', 'config/.envrc'].sort()
    const r = await run(['check'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`runts_py_probe-0.1.0.tar.gz carries runts' own files: ${ours.join(', ')}; nothing was uploaded`)
    const table = r.stderr.match(/^\[tool\.hatch\.build\.targets\.sdist\]\nexclude = \[.*\]$/m)?.[0]
    expect(table).toBe(`[tool.hatch.build.targets.sdist]\nexclude = [${ours.map((f) => `"/${f}"`).join(', ')}]`)
    // What README step 1 says to do, then commit and tag: the walk-through's order.
    p.write({ 'pyproject.toml': `${readFileSync(path.join(p.dir, 'pyproject.toml'), 'utf8')}\n${table}\n` })
      .commit('keep runts out of the sdist')
      .tag('v0.1.0')
    const again = await run(['check'])
    expect(again.code, output(again)).toBe(0)
    const inside = await sdistFiles(path.join(p.dir, 'dist', files[1]!))
    expect(inside).toContain('src/runts_py_probe/__init__.py')
    for (const file of ours) expect(inside).not.toContain(file)
  }, 120_000)

  it('release:test lints and tests with the tools of PYTHON, uploads only this version, installs it from the test index and imports it', async () => {
    writeFileSync(path.join(p.dir, 'dist', 'runts_py_probe-0.0.9.tar.gz'), 'an older build')
    const r = await run(['release:test'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toContain('1 passed')
    expect(r.stdout).toContain(`runts-py-probe 0.1.0 installs from ${testIndex.indexUrl} and imports (import runts_py_probe)`)
    expect(readdirSync(testIndex.packages).sort()).toEqual(files)
    expect(existsSync(path.join(standIns, 'ran'))).toBe(false)
    expect(output(r)).not.toContain(testIndex.token)
    // node_modules/ (runts itself) never reaches the sdist: --init put it in .gitignore.
    const inside = await sdistFiles(path.join(testIndex.packages, files[1]!))
    expect(inside).toContain('src/runts_py_probe/__init__.py')
    expect(inside.filter((f) => f.startsWith('node_modules') || RUNNER_FILES.includes(f))).toEqual([])
  }, 300_000)

  it('lint is up to date after release:test: what build, pytest and the hooks wrote (dist/, caches) is none of its inputs', async () => {
    expect(existsSync(path.join(p.dir, '.ruff_cache', 'stamp'))).toBe(true)
    expect(existsSync(path.join(p.dir, '.pytest_cache'))).toBe(true)
    const why = await run(['--why', 'lint'])
    expect(why.code).toBe(0)
    expect(why.stdout).toMatch(/^lint +skips: up to date$/m)
  }, 60_000)

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
    expect(r.stdout).toContain(
      `runts-py-probe 0.1.0 is already on ${testIndex.indexUrl} (same sha256): not uploaded again, checking that it installs`,
    )
    expect(r.stdout).toContain('installs from')
    // Tagged before release:test, as the README's walk-through does: nothing build reads changed since, so
    // lint is up to date, build is restored, and PyPI gets the very files TestPyPI got.
    expect(r.stderr).toMatch(/lint +\S+ +up.to.date/)
    expect(r.stderr).toMatch(/build +\S+ +restored/)
    expect(readdirSync(testIndex.packages).map((f) => statSync(path.join(testIndex.packages, f)).mtimeMs)).toEqual(uploaded)
    expect(readdirSync(prodIndex.packages).sort()).toEqual(files)
    expect(digests(prodIndex.packages, 'runts_py_probe-0.1.0')).toEqual(digests(testIndex.packages, 'runts_py_probe-0.1.0'))
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

  it('a tag made after release:test rebuilds at release:prod (the refs are inputs, for setuptools-scm); hatchling builds the same bytes; a version partly on PyPI gets its missing file', async () => {
    p.write({ 'pyproject.toml': readFileSync(path.join(p.dir, 'pyproject.toml'), 'utf8').replace('0.2.0', '0.3.0') }).commit('0.3.0')
    const first = await run(['release:test'])
    expect(first.code, output(first)).toBe(0)
    p.tag('v0.3.0')
    const why = await run(['--why', 'build'])
    // What the README says `run --why build` names.
    expect(why.stdout).toMatch(/^build +runs: \.git\/refs\/tags\/v0\.3\.0 added$/m)
    // An earlier upload to PyPI that stopped after the wheel: the index has it, not the sdist.
    const wheel = 'runts_py_probe-0.3.0-py3-none-any.whl'
    copyFileSync(path.join(testIndex.packages, wheel), path.join(prodIndex.packages, wheel))
    const before = statSync(path.join(prodIndex.packages, wheel)).mtimeMs
    const r = await run(['--yes', 'release:prod'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toContain(`runts-py-probe 0.3.0 is partly on ${prodIndex.indexUrl} (${wheel}, same sha256): uploading the rest`)
    expect(statSync(path.join(prodIndex.packages, wheel)).mtimeMs).toBe(before)
    expect(r.stderr).toContain('› start build')
    expect(r.stderr).not.toMatch(/build +\S+ +(up.to.date|restored)/)
    const built = ['runts_py_probe-0.3.0-py3-none-any.whl', 'runts_py_probe-0.3.0.tar.gz']
    expect(Object.keys(digests(prodIndex.packages, 'runts_py_probe-0.3.0')).sort()).toEqual(built)
    expect(digests(prodIndex.packages, 'runts_py_probe-0.3.0')).toEqual(digests(testIndex.packages, 'runts_py_probe-0.3.0'))
  }, 300_000)
})

describe('run --watch test', () => {
  let p: GitRepo
  afterEach(stopAll)
  afterAll(() => p?.remove())

  it('runs again when a test changes, and not for what pytest and Python write on every run', async () => {
    p = await templateProject({
      'pyproject.toml': `${pyproject('runts-watch-probe', '0.1.0', 'hatchling')}\n[tool.pytest.ini_options]\npythonpath = ["src"]\n`,
      'src/runts_watch_probe/__init__.py': 'answer = 42\n',
      'tests/test_answer.py': 'from runts_watch_probe import answer\n\n\ndef test_answer():\n    assert answer == 42\n',
    })
    const watch = new LiveCli(p.dir, ['--watch', 'test'], { PATH: `${standIns}:${process.env.PATH}` })
    const waiting = (n: number) => (out: string) => (out.match(/watching .* for changes/g)?.length ?? 0) >= n
    await watch.waitFor(waiting(1), 60_000)
    expect(watch.output).toContain('1 passed')
    p.write({ 'tests/test_answer.py': 'from runts_watch_probe import answer\n\n\ndef test_answer():\n    assert answer != 41\n' })
    await watch.waitFor((out) => /changed: tests\/test_answer\.py/.test(out) && waiting(2)(out), 60_000)
    // Had .pytest_cache/ or __pycache__/ started a run, its `changed:` line would come before this one.
    expect(watch.output.match(/^.*changed: .*$/gm)).toEqual([expect.stringMatching(/changed: tests\/test_answer\.py$/)])
    expect(watch.count(/1 passed/g)).toBe(2)
    expect(existsSync(path.join(p.dir, '.pytest_cache'))).toBe(true)
  }, 180_000)
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

  it("check refuses an sdist that carries runts' own files (setuptools-scm packs what git tracks), naming the MANIFEST.in lines", async () => {
    const r = await run(['check'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`runts_scm_probe-1.0.0.tar.gz carries runts' own files: ${RUNNER_FILES.join(', ')}; nothing was uploaded`)
    expect(r.stderr).toContain(
      `in MANIFEST.in (with setuptools-scm installed, setuptools packs every file git tracks):\n\nexclude ${RUNNER_FILES.join(' ')}\n`,
    )
    p.write({ 'MANIFEST.in': `exclude ${RUNNER_FILES.join(' ')}\n` }).commit('keep runts out of the sdist')
    p.git('tag', '-f', 'v1.0.0')
    const again = await run(['check'])
    expect(again.code, output(again)).toBe(0)
    const inside = await sdistFiles(path.join(p.dir, 'dist', 'runts_scm_probe-1.0.0.tar.gz'))
    expect(inside).toContain('src/runts_scm_probe/__init__.py')
    for (const file of RUNNER_FILES) expect(inside).not.toContain(file)
  }, 120_000)

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
