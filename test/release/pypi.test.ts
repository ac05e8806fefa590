/**
 * notPublished and distFiles against real package indexes: pypiserver from
 * the test env as a test index (falling back to the prod index, as a default
 * pypiserver falls back to PyPI), a prod index and a private one. A real
 * sdist and wheel are built with `python -m build`, uploaded with
 * `python -m twine` as `__token__`, and installed with pip into a fresh venv.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../scripts/registry.js'
import { runCheck } from '../../src/release/check.js'
import { distFiles } from '../../src/release/dist-files.js'
import { notPublished } from '../../src/release/not-published.js'
import { GitRepo, pyproject } from '../helpers/git-repo.js'
import { type PackageIndex, startPackageIndex } from '../helpers/pypi.js'
import { exec, freshVenv, pipInto, pythonEnv } from '../helpers/python.js'

const name = 'runts-probe-pkg'
let python: string
let prod: PackageIndex
let test: PackageIndex
let priv: PackageIndex
let project: GitRepo
const temp = mkdtempSync(path.join(os.tmpdir(), 'runts-pypi-test-'))

/** `python -m twine upload` as TestPyPI wants it: `__token__` and the token, in twine's environment. */
function upload(index: PackageIndex, files: string[], token = index.token) {
  return exec(
    python,
    ['-m', 'twine', 'upload', '--non-interactive', '--disable-progress-bar', '--repository-url', index.uploadUrl, ...files],
    {
      env: { TWINE_USERNAME: '__token__', TWINE_PASSWORD: token },
    },
  )
}

async function build(version: string): Promise<void> {
  project.write({ 'pyproject.toml': pyproject(name, version, 'hatchling') })
  await exec(python, ['-m', 'build', '--no-isolation', '--sdist', '--wheel', '--outdir', 'dist'], { cwd: project.dir })
}

beforeAll(async () => {
  python = (await pythonEnv()).python
  prod = await startPackageIndex()
  ;[test, priv] = await Promise.all([
    startPackageIndex({ fallbackUrl: prod.indexUrl }),
    startPackageIndex({ authenticate: 'list,download,update' }),
  ])
  project = new GitRepo({ 'src/runts_probe_pkg/__init__.py': 'answer = 42\n', 'README.md': '# probe\n', '.gitignore': 'dist/\n' })
  await build('0.0.9')
  await build('0.1.0')
}, 180_000)

afterAll(async () => {
  await Promise.all([prod?.stop(), test?.stop(), priv?.stop()])
  project?.remove()
  rmSync(temp, { recursive: true, force: true })
})

describe('a release to a test index, then a prod index', () => {
  it('picks only the files of the version being released from dist/', async () => {
    const files = await distFiles({ cwd: project.dir })
    expect(files.map((f) => path.basename(f)).sort()).toEqual(['runts_probe_pkg-0.1.0-py3-none-any.whl', 'runts_probe_pkg-0.1.0.tar.gz'])
    await expect(distFiles({ cwd: project.dir, version: '0.2.0' })).rejects.toThrow(
      /no files of runts-probe-pkg 0\.2\.0 in dist\/ \(it holds runts_probe_pkg-0\.0\.9-py3-none-any\.whl, .*\): build this version first/,
    )
  })

  it('passes before the upload, and refuses the version once it is on the test index only', async () => {
    expect(await runCheck(notPublished({ index: test.indexUrl }), { cwd: project.dir })).toBeUndefined()
    const files = await distFiles({ cwd: project.dir })
    const out = await upload(test, files)
    expect(out.stdout + out.stderr).not.toContain(test.token)
    const onTest = await runCheck(notPublished({ index: test.indexUrl }), { cwd: project.dir })
    expect(onTest).toBe(
      `runts-probe-pkg 0.1.0 (runts_probe_pkg-0.1.0-py3-none-any.whl, runts_probe_pkg-0.1.0.tar.gz) is already on ${test.indexUrl}, ` +
        'which never accepts a file twice: bump the version in pyproject.toml, then build again',
    )
    expect(await runCheck(notPublished({ index: prod.indexUrl }), { cwd: project.dir })).toBeUndefined()
    // Other spellings of the name and the version find it too (PEP 503, PEP 440).
    expect(await runCheck(notPublished({ index: test.indexUrl, name: 'Runts.Probe_Pkg', version: '0.1.0.0' }))).toBeUndefined()
    expect(await runCheck(notPublished({ index: test.indexUrl, name: 'Runts.Probe_Pkg', version: 'v0.1.0' }))).toContain('is already on')
    expect(await runCheck(notPublished({ index: test.indexUrl, version: '0.0.9' }), { cwd: project.dir })).toBeUndefined()
  })

  it('needs the token to upload, and a second upload of a version fails (what the check prevents)', async () => {
    const files = await distFiles({ cwd: project.dir })
    await expect(upload(prod, files, 'pypi-wrong')).rejects.toThrow(/403|401|Invalid or non-existent authentication/i)
    await expect(upload(test, files)).rejects.toThrow(/400 Bad Request/)
  })

  it('installs the uploaded version from the simple index into a fresh venv, and it imports', async () => {
    const venv = await freshVenv(path.join(temp, 'venv'))
    const install = await pipInto(venv, ['install', '--no-cache-dir', '--index-url', test.indexUrl, `${name}==0.1.0`], {
      env: { PIP_CONFIG_FILE: os.devNull },
    })
    expect(install.stdout).toContain(`Looking in indexes: ${test.indexUrl}`)
    expect(install.stdout).toContain('Successfully installed runts-probe-pkg-0.1.0')
    const run = await exec(venv, ['-c', 'import runts_probe_pkg; print(runts_probe_pkg.answer)'])
    expect(run.stdout.trim()).toBe('42')
  }, 120_000)

  it('reads a project the test index only redirects to (its fallback) as not on the test index', async () => {
    const other = new GitRepo({
      'src/runts_prod_only/__init__.py': '',
      'pyproject.toml': pyproject('runts-prod-only', '1.0.0', 'hatchling'),
    })
    try {
      await exec(python, ['-m', 'build', '--no-isolation', '--wheel', '--outdir', 'dist'], { cwd: other.dir })
      await upload(prod, await distFiles({ cwd: other.dir }))
      const target = { name: 'runts-prod-only', version: '1.0.0' }
      expect(await runCheck(notPublished({ ...target, index: prod.indexUrl }))).toContain(
        'runts-prod-only 1.0.0 (runts_prod_only-1.0.0-py3-none-any.whl)',
      )
      // pypiserver answers /simple/NAME/ for a project it lacks with a redirect to its fallback: that is not this index.
      const redirect = await fetch(`${test.indexUrl}runts-prod-only/`, { redirect: 'manual' })
      expect(redirect.headers.get('location')).toBe(`${prod.indexUrl}runts-prod-only/`)
      expect(await runCheck(notPublished({ ...target, index: test.indexUrl }))).toBeUndefined()
    } finally {
      other.remove()
    }
  })
})

describe('an index that needs credentials to list, and indexes that do not answer', () => {
  it('reads a private index with the credentials in its URL, and never shows them', async () => {
    const files = await distFiles({ cwd: project.dir })
    await upload(priv, files)
    const bare = await runCheck(notPublished({ index: priv.indexUrl }), { cwd: project.dir })
    expect(bare).toMatch(/refused to list runts-probe-pkg \(HTTP 401\): give the index's credentials in its URL/)
    const withToken = priv.indexUrl.replace('http://', `http://__token__:${priv.token}@`)
    const message = await runCheck(notPublished({ index: withToken }), { cwd: project.dir })
    expect(message).toContain(`is already on ${priv.indexUrl},`)
    expect(message).not.toContain(priv.token)
  })

  it('says an index did not answer within the limit, instead of hanging', async () => {
    const silent: Server = createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const port = (silent.address() as { port: number }).port
    try {
      const started = Date.now()
      const message = await runCheck(notPublished({ index: `http://__token__:pypi-secret@127.0.0.1:${port}/simple/`, timeoutMs: 500 }), {
        cwd: project.dir,
      })
      expect(message).toBe(
        `http://127.0.0.1:${port}/simple/runts-probe-pkg/ did not answer within 0.5 s: check the URL and your connection`,
      )
      expect(Date.now() - started).toBeLessThan(5000)
    } finally {
      silent.close()
    }
  })

  it('says an index cannot be reached', async () => {
    const port = await freePort()
    const message = await runCheck(notPublished({ index: `http://127.0.0.1:${port}/simple/` }), { cwd: project.dir })
    expect(message).toBe(
      `could not reach http://127.0.0.1:${port}/simple/runts-probe-pkg/ (ECONNREFUSED): check the URL and your connection`,
    )
  })
})
