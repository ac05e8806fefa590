/**
 * Issue 19, the python template: only the tested bytes ship. Each reproduction of the issue, as a new
 * Python user ran into it, against two real pypiservers (a test and a prod index, token login as on
 * TestPyPI): a release's identity is its files' sha256, from the build to the production index.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer, type ServerResponse } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { type CutProxy, startCutProxy } from '../helpers/cut-proxy.js'
import { close, listen } from '../helpers/http-server.js'
import { type PackageIndex, startPackageIndex } from '../helpers/pypi.js'
import { makePypiToken } from '../helpers/pypi-token.js'
import { exec, freshVenv, pipInto } from '../helpers/python.js'
import { hatchlingPackage, output, PythonProject } from '../helpers/python-project.js'

let test: PackageIndex
let prod: PackageIndex
const projects: PythonProject[] = []

beforeAll(async () => {
  ;[test, prod] = await Promise.all([startPackageIndex(), startPackageIndex()])
}, 300_000)
afterAll(async () => {
  for (const p of projects) p.remove()
  await Promise.all([test?.stop(), prod?.stop()])
})

async function project(
  name: string,
  version: string,
  options: Parameters<typeof hatchlingPackage>[2] & { env?: Record<string, string | undefined> } = {},
) {
  const p = await PythonProject.create(hatchlingPackage(name, version, options), { test, prod, env: options.env })
  projects.push(p)
  return p
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')
/** The files an index's folder holds whose names start with `prefix`, sorted. */
const held = (index: PackageIndex, prefix: string) =>
  readdirSync(index.packages)
    .filter((f) => f.startsWith(prefix))
    .sort()

describe('python: releases by digest', () => {
  it('1. release:prod never uploads a rebuild: the test index holding another build of the version is refused, naming both sha256; PyPI gets nothing', async () => {
    const p = await project('rd-rebuild', '0.8.0')
    // Bumped, a file edited and not committed: release:test builds and uploads that.
    p.repo.write({ 'src/rd_rebuild/__init__.py': 'answer = 42\nfirst = 1\n' })
    const first = await p.run(['release:test'])
    expect(first.code, output(first)).toBe(0)
    // A second line, then commit and tag: release:prod rebuilds (its inputs changed).
    p.repo.write({ 'src/rd_rebuild/__init__.py': 'answer = 42\nfirst = 1\nsecond = 2\n' }).commit('0.8.0').tag('v0.8.0')
    const r = await p.run(['--yes', 'release:prod'])
    expect(r.code, output(r)).not.toBe(0)
    const wheel = 'rd_rebuild-0.8.0-py3-none-any.whl'
    const tested = sha256(path.join(test.packages, wheel))
    const rebuilt = sha256(path.join(p.dir, 'dist', wheel))
    expect(tested).not.toBe(rebuilt)
    expect(r.stderr).toContain(`${wheel} on ${test.indexUrl} has sha256 ${tested}, this one has sha256 ${rebuilt}`)
    expect(r.stderr).toContain('The test index holds another build of this version than this one, and an index never replaces a file')
    expect(held(prod, 'rd_rebuild')).toEqual([])
  }, 300_000)

  describe('2. an upload cut short', () => {
    let proxy: CutProxy
    beforeAll(async () => {
      proxy = await startCutProxy(Number(new URL(prod.uploadUrl).port))
    })
    afterAll(() => proxy?.stop())

    it('leaves a truncated wheel on pypiserver; the next release:prod refuses it before anything runs, naming both sha256, and uploads nothing more', async () => {
      // 200 kB of data in the package, so that half an upload ends inside the wheel's bytes.
      const data = randomBytes(150_000).toString('base64')
      const p = await project('rd-cut', '0.1.0', { extra: { 'src/rd_cut/data.txt': data }, env: { PYPI_URL: proxy.url } })
      p.repo.tag('v0.1.0')
      const first = await p.run(['release:test'])
      expect(first.code, output(first)).toBe(0)
      const wheel = 'rd_cut-0.1.0-py3-none-any.whl'
      const tested = sha256(path.join(test.packages, wheel))

      const cut = proxy.arm(100_000)
      const r = await p.run(['--yes', 'release:prod'])
      const { bodyBytes, sent } = await cut
      expect(sent).toBeLessThan(bodyBytes)
      expect(r.code, output(r)).not.toBe(0)
      // What the issue saw: pypiserver keeps what it got of the wheel, and lists it.
      expect(held(prod, 'rd_cut')).toEqual([wheel])
      const truncated = sha256(path.join(prod.packages, wheel))
      expect(statSync(path.join(prod.packages, wheel)).size).toBeLessThan(statSync(path.join(test.packages, wheel)).size)
      expect(await (await fetch(`${prod.indexUrl}rd-cut/`)).text()).toContain(`${wheel}#sha256=${truncated}`)

      const again = await p.run(['--yes', 'release:prod'])
      expect(again.code, output(again)).toBe(2)
      expect(again.stderr).toContain(`${wheel} on ${prod.indexUrl} has sha256 ${truncated}, this one has sha256 ${tested}`)
      expect(again.stderr).not.toContain('› start')
      expect(held(prod, 'rd_cut')).toEqual([wheel])
      expect(sha256(path.join(prod.packages, wheel))).toBe(truncated)
    }, 300_000)
  })

  describe('2b. an index that stops answering mid-upload', () => {
    it('stops the upload once a step of it takes over PYTHON_UPLOAD_TIMEOUT seconds, and says what to do; twine alone waited for ever', async () => {
      // It takes the upload's whole body, then never answers: twine (requests without a timeout) waited on.
      const waiting: ServerResponse[] = []
      const stalled = createServer((req, res) => {
        req.resume()
        waiting.push(res)
      })
      const url = `${await listen(stalled)}/`
      onTestFinished(() => close(stalled))
      const p = await project('rd-stall', '0.1.0', { env: { TEST_PYPI_URL: url, PYTHON_UPLOAD_TIMEOUT: '2' } })
      const r = await p.run(['publish:test'])
      expect(r.code, output(r)).toBe(1)
      expect(waiting.length).toBeGreaterThan(0)
      expect(r.stderr).toContain(
        'stopped answering: a step of the upload (sending a block of it, or waiting for the answer) took over 2 s (PYTHON_UPLOAD_TIMEOUT), so the upload was stopped',
      )
      expect(r.stderr).toContain('only missing files are uploaded')
      expect(output(r)).not.toContain(test.token)
    }, 300_000)

    it('refuses a PYTHON_UPLOAD_TIMEOUT that is not a number of seconds up to a day, before anything runs; takes 0 (no limit)', async () => {
      const p = await project('rd-stall-bad', '0.1.0', { env: { PYTHON_UPLOAD_TIMEOUT: 'soon' } })
      for (const bad of ['soon', '-1', '1e10', 'NaN', '0x10', '100000']) {
        const r = await p.run(['publish:test'], { PYTHON_UPLOAD_TIMEOUT: bad })
        expect(r.code, output(r)).toBe(2)
        expect(r.stderr).toContain(
          `publish:test: PYTHON_UPLOAD_TIMEOUT is "${bad}": give it in seconds, like 120, at most 86400 (0: no limit)`,
        )
        expect(r.stderr).not.toContain('› start')
      }
      for (const good of ['0', '2.5', ' 300 ']) {
        const r = await p.run(['--dry-run', 'publish:test'], { PYTHON_UPLOAD_TIMEOUT: good })
        expect(r.stderr, good).toContain('✓ uploadTimeoutIsSeconds')
      }
      expect(held(test, 'rd_stall_bad')).toEqual([])
    }, 300_000)
  })

  describe('3. the import check comes before any upload, and imports what the wheel holds', () => {
    let p: PythonProject
    it('a distribution whose module has another name (rd-pycounts-trial, module rd_pycounts) is imported by its module', async () => {
      p = await project('rd-pycounts-trial', '0.1.0', { module: 'rd_pycounts' })
      const r = await p.run(['release:test'])
      expect(r.code, output(r)).toBe(0)
      expect(r.stdout).toContain('rd_pycounts_trial-0.1.0-py3-none-any.whl installs into a fresh venv and imports (import rd_pycounts)')
      expect(r.stdout).toContain(`rd-pycounts-trial 0.1.0 installs from ${test.indexUrl} and imports (import rd_pycounts)`)
    }, 300_000)

    it('a wheel that does not import (a dependency it does not declare) uploads nothing, and the hint names PYTHON_IMPORT_NAME', async () => {
      // pytest is in the dev venv, so the tests pass; a fresh venv has only what the wheel declares.
      p.repo.write({
        'pyproject.toml': p.read('pyproject.toml').replace('0.1.0', '0.2.0'),
        'src/rd_pycounts/__init__.py': 'import pytest  # not a declared dependency\n\nanswer = 42\n',
      })
      const r = await p.run(['release:test'])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain("ModuleNotFoundError: No module named 'pytest'")
      expect(r.stderr).toContain('rd_pycounts_trial-0.2.0-py3-none-any.whl installs but does not import; nothing was uploaded')
      expect(r.stderr).toContain('PYTHON_IMPORT_NAME')
      expect(held(test, 'rd_pycounts_trial-0.2.0')).toEqual([])
    }, 300_000)
  })

  it("4. every command runs with PYTHON's folder first on PATH: a pre-commit hook with language: system finds the venv's ruff", async () => {
    const hook =
      'repos:\n- repo: local\n  hooks:\n  - id: ruff\n    name: ruff\n    entry: ruff check --no-cache\n    language: system\n    types: [python]\n'
    const p = await project('rd-ruff', '0.1.0', { extra: { '.pre-commit-config.yaml': hook } })
    // Not on PATH here: only in the venv.
    expect(await exec('sh', ['-c', 'command -v ruff'], { env: { PATH: process.env.PATH! } }).catch(() => 'none')).toBe('none')
    const r = await p.run(['lint'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toMatch(/^ruff\.+Passed$/m)
  }, 120_000)

  describe('5. publish:prod alone', () => {
    let p: PythonProject
    beforeAll(async () => {
      p = await project('rd-alone', '0.1.0')
      p.repo.tag('v0.1.0')
    }, 120_000)

    it('refuses, before anything runs, a version that never went through the test index', async () => {
      const r = await p.run(['--yes', 'publish:prod'])
      expect(r.code, output(r)).toBe(2)
      expect(r.stderr).toContain(`rd-alone 0.1.0 is not on the test index (${test.indexUrl}): only what went through it goes to PyPI`)
      expect(r.stderr).toContain('RELEASE_SKIP_TEST_INDEX=1')
      expect(r.stderr).not.toContain('› start')
      expect(held(prod, 'rd_alone')).toEqual([])
    }, 120_000)

    it('with RELEASE_SKIP_TEST_INDEX=1 uploads dist/ as built, and its question says so', async () => {
      const built = await p.run(['check'])
      expect(built.code, output(built)).toBe(0)
      const dry = await p.run(['--dry-run', 'publish:prod'], { RELEASE_SKIP_TEST_INDEX: '1' })
      expect(dry.stderr).toContain(
        `a real run asks first: Upload rd-alone 0.1.0 to ${prod.uploadUrl} from dist/, never checked on the test index (RELEASE_SKIP_TEST_INDEX=1)?`,
      )
      const r = await p.run(['--yes', 'publish:prod'], { RELEASE_SKIP_TEST_INDEX: '1' })
      expect(r.code, output(r)).toBe(0)
      const ours = readdirSync(path.join(p.dir, 'dist')).filter((f) => f.startsWith('rd_alone-0.1.0'))
      expect(held(prod, 'rd_alone')).toEqual(ours.sort())
      for (const f of ours) expect(sha256(path.join(prod.packages, f))).toBe(sha256(path.join(p.dir, 'dist', f)))
    }, 300_000)
  })

  describe('6. tokens', () => {
    it('a TestPyPI token given for PyPI, and a PyPI token given for TestPyPI, are refused before anything runs, naming the variable', async () => {
      const testToken = await makePypiToken({ location: 'test.pypi.org', caveats: [{ version: 1, permissions: 'user' }] })
      const pypiToken = await makePypiToken({ location: 'pypi.org', caveats: [[0, 4102444800, 0]] })
      // PyPI's upload URL (what the token check looks at); the index read stays the local one, so nothing here reaches pypi.org.
      const p = await project('rd-tokens', '0.1.0', {
        env: {
          PYPI_URL: 'https://upload.pypi.org/legacy/',
          PYPI_TOKEN: testToken,
          TEST_PYPI_URL: 'https://test.pypi.org/legacy/',
          TEST_PYPI_TOKEN: pypiToken,
        },
      })
      p.repo.tag('v0.1.0')
      const r = await p.run(['--yes', 'release:prod'])
      expect(r.code, output(r)).toBe(2)
      expect(r.stderr).toContain(
        'PYPI_TOKEN is a token made on test.pypi.org, but it is given for pypi.org (https://upload.pypi.org/legacy/): TestPyPI and PyPI are separate sites',
      )
      expect(r.stderr).toContain(
        'TEST_PYPI_TOKEN is a token made on pypi.org, but it is given for test.pypi.org (https://test.pypi.org/legacy/)',
      )
      expect(output(r)).not.toContain(testToken)
      expect(output(r)).not.toContain(pypiToken)
      expect(r.stderr).not.toContain('› start')
      expect(held(test, 'rd_tokens')).toEqual([])
    }, 120_000)

    it('a wrong token for a self-hosted index stops between the uploads (the test index has the version); release:prod resumes once it is fixed', async () => {
      const p = await project('rd-resume', '0.1.0', { env: { PYPI_TOKEN: 'pypi-not-the-right-one' } })
      p.repo.tag('v0.1.0')
      const r = await p.run(['--yes', 'release:prod'])
      expect(r.code).not.toBe(0)
      expect(output(r)).toMatch(/403 Forbidden|Invalid or non-existent authentication/)
      expect(held(test, 'rd_resume')).toHaveLength(2)
      expect(held(prod, 'rd_resume')).toEqual([])
      p.writeEnv({})
      const again = await p.run(['--yes', 'release:prod'])
      expect(again.code, output(again)).toBe(0)
      expect(again.stdout).toContain(`rd-resume 0.1.0 is already on ${test.indexUrl} (same sha256): not uploaded again`)
      expect(held(prod, 'rd_resume')).toEqual(held(test, 'rd_resume'))
      for (const f of held(prod, 'rd_resume')) expect(sha256(path.join(prod.packages, f))).toBe(sha256(path.join(test.packages, f)))
      // What pip installs from production is what was tested.
      const venv = await freshVenv(path.join(p.dir, 'check-venv'))
      await pipInto(venv, ['install', '--no-cache-dir', '--index-url', prod.indexUrl, 'rd-resume==0.1.0'])
      expect((await exec(venv, ['-c', 'import rd_resume; print(rd_resume.answer)'])).stdout.trim()).toBe('42')
    }, 300_000)
  })

  it('two release:prod at once, from two checkouts of one commit, put the same bytes on both indexes; the run that loses a race goes on', async () => {
    const [a, b] = await Promise.all([project('rd-twice', '0.1.0'), project('rd-twice', '0.1.0')])
    a.repo.tag('v0.1.0')
    b.repo.tag('v0.1.0')
    const runs = await Promise.all([a.run(['--yes', 'release:prod']), b.run(['--yes', 'release:prod'])])
    // Both succeed, or one started so late that the other had already released the version, and says so.
    for (const r of runs) {
      if (r.code !== 0) expect(r.stderr, output(r)).toMatch(/rd-twice 0\.1\.0 .*is already on .*bump the version/)
    }
    expect(runs.some((r) => r.code === 0)).toBe(true)
    expect(held(prod, 'rd_twice')).toEqual(held(test, 'rd_twice'))
    expect(held(prod, 'rd_twice')).toHaveLength(2)
    for (const f of held(prod, 'rd_twice')) expect(sha256(path.join(prod.packages, f))).toBe(sha256(path.join(test.packages, f)))
  }, 300_000)

  it('7. under GitHub Actions, a run stopped by failed checks still writes --report and the step summary, saying why', async () => {
    const p = await project('rd-report', '0.1.0')
    p.repo.tag('v0.1.0')
    p.repo.write({ 'notes.txt': 'scratch' })
    // Outside the project, as on a runner.
    const summary = path.join(os.tmpdir(), `${path.basename(p.dir)}-summary.md`)
    onTestFinished(() => rmSync(summary, { force: true }))
    const r = await p.run(['--yes', '--report', 'report.json', 'publish:prod'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary })
    expect(r.code, output(r)).toBe(2)
    expect(existsSync(path.join(p.dir, 'report.json'))).toBe(true)
    const report = JSON.parse(p.read('report.json')) as {
      tasks: { name: string; status: string; start: unknown }[]
      stopped: { kind: string; exitCode: number }
      checks: { task: string; check: string; passed: boolean; message: string | null }[]
    }
    expect(report.tasks).toEqual([{ name: 'publish:prod', status: 'skipped', start: null, duration: 0, exitCode: null }])
    expect(report.stopped).toMatchObject({ kind: 'preflight', exitCode: 2 })
    expect(report.checks.filter((c) => !c.passed)).toEqual([
      {
        task: 'publish:prod',
        check: 'the git working tree is clean',
        passed: false,
        message: expect.stringContaining('notes.txt (untracked)'),
      },
      { task: 'publish:prod', check: 'testedAndNotOnPyPI', passed: false, message: expect.stringContaining('is not on the test index') },
    ])
    expect(report.checks.filter((c) => c.passed).map((c) => c.check)).toContain('HEAD carries the version tag')
    expect(existsSync(summary)).toBe(true)
    const markdown = readFileSync(summary, 'utf8')
    expect(markdown).toContain('| publish:prod | ⏭️ skipped |')
    expect(markdown).toContain('**Stopped before anything ran** (exit code 2)')
    expect(markdown).toContain('notes.txt (untracked)')
    expect(markdown).toContain('rd-report 0.1.0 is not on the test index')
    expect(markdown + JSON.stringify(report)).not.toContain(prod.token)
  }, 120_000)
})
