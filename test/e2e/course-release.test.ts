/**
 * The Python packaging course's release, whole, with the python template as `run --init` writes it:
 * `git commit -m "feat: …"`, `run version` (the version from the commits, CHANGELOG.md, the commit and
 * the annotated tag), `run release:prod` (TestPyPI, the install check, PyPI: two real pypiservers) ending
 * with `publish:github` (a stand-in of GitHub's documented release endpoints, laid out as GitHub Enterprise
 * Server, on two ports), then trusted publishing: real twine uploading through a token minted by PyPI's
 * exchange (a stand-in of the documented OIDC endpoints in front of the real pypiserver). Stand-ins for
 * twine, pre-commit and pytest on PATH fail loudly, as in python-template.test.ts.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitRepo, pyproject } from '../helpers/git-repo.js'
import { type GithubStandIn, startGithubStandIn } from '../helpers/github-api.js'
import { cli, repo, runProcess } from '../helpers/project.js'
import { type PackageIndex, startPackageIndex, twoIndexes } from '../helpers/pypi.js'
import { pythonEnv } from '../helpers/python.js'
import { type OidcStandIn, startOidcStandIn } from '../helpers/trusted-publishing.js'

let venv: string
let testIndex: PackageIndex
let prodIndex: PackageIndex
let github: GithubStandIn
let oidc: OidcStandIn
let standIns: string
let p: GitRepo
let origin: GitRepo

const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')
const run = (args: string[], env: Record<string, string | undefined> = {}) =>
  runProcess(process.execPath, [cli, ...args], {
    cwd: p.dir,
    // A fixed changelog date; the stand-ins first on PATH.
    env: { PATH: `${standIns}:${process.env.PATH}`, SOURCE_DATE_EPOCH: '1798761600', GITHUB_ACTIONS: undefined, ...env },
  })
const subject = () => p.git('log', '-1', '--format=%s').trim()
const tags = () => p.git('tag', '--list').split('\n').filter(Boolean)

const preCommit = 'repos:\n- repo: local\n  hooks:\n  - id: no-tabs\n    name: no tabs\n    entry: "\\t"\n    language: pygrep\n'
const RUNNER_FILES = ['/.env.example', '/package-lock.json', '/package.json', '/tasks.config.ts', '/CHANGELOG.md']

beforeAll(async () => {
  venv = (await pythonEnv()).dir
  ;[testIndex, prodIndex] = await Promise.all([startPackageIndex(), startPackageIndex()])
  // GitHub Enterprise Server's layout (/api/v3, /api/uploads), without digests on assets: their bytes are read.
  github = await startGithubStandIn({ prefix: '/api/v3', digests: false, repository: 'octo/counts' })
  oidc = await startOidcStandIn({ index: testIndex.uploadUrl, indexToken: testIndex.token })
  standIns = path.join(testIndex.packages, '..', 'stand-ins')
  mkdirSync(standIns)
  for (const tool of ['twine', 'pre-commit', 'pytest']) {
    writeFileSync(path.join(standIns, tool), `#!/bin/sh\necho "the ${tool} on PATH ran" >&2\nexit 3\n`, { mode: 0o755 })
  }
  const manifest = { 'package.json': '{\n  "devDependencies": {\n    "runts": "^1.0.0"\n  }\n}\n', 'package-lock.json': '{}\n' }
  const exclude = `\n[tool.hatch.build.targets.sdist]\nexclude = [${RUNNER_FILES.map((f) => JSON.stringify(f)).join(', ')}]\n`
  p = new GitRepo(
    {
      ...manifest,
      'pyproject.toml': `${pyproject('runts-counts', '0.1.0', 'hatchling')}\n[tool.pytest.ini_options]\npythonpath = ["src"]\n${exclude}`,
      'src/runts_counts/__init__.py': 'def count(words):\n    return len(words)\n',
      'tests/test_count.py': 'from runts_counts import count\n\n\ndef test_count():\n    assert count(["a", "b"]) == 2\n',
      '.pre-commit-config.yaml': preCommit,
    },
    { commit: false },
  )
  mkdirSync(path.join(p.dir, 'node_modules'))
  symlinkSync(repo, path.join(p.dir, 'node_modules', 'runts'))
  symlinkSync(venv, path.join(p.dir, '.venv'))
  const init = await run(['--init'])
  expect(init.stdout).toContain('the python template')
  const env = {
    PYTHON: '.venv/bin/python',
    PYTHON_BUILD_ARGS: '--no-isolation',
    ...twoIndexes(testIndex, prodIndex),
  }
  writeFileSync(
    path.join(p.dir, '.env'),
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  )
  // The first release was made by hand, as the course's is; the remote is where nothing gets pushed.
  p.commit('chore: first').tag('v0.1.0', true)
  origin = new GitRepo({}, { commit: false })
  // A second working repository as the remote: it takes pushes to a branch it has not checked out.
  origin.git('checkout', '-q', '-b', 'elsewhere')
  p.git('remote', 'add', 'origin', origin.dir)
  p.git('push', '-q', 'origin', 'main', 'v0.1.0')
}, 300_000)

afterAll(async () => {
  await Promise.all([testIndex?.stop(), prodIndex?.stop(), github?.stop(), oidc?.stop()])
  p?.remove()
  origin?.remove()
})

describe('run version', () => {
  it('says nothing to release, exit 0, when no commit since the tag calls for one, and writes nothing', async () => {
    p.git('commit', '-q', '--allow-empty', '-m', 'docs: explain the counting')
    const head = p.git('rev-parse', 'HEAD')
    const r = await run(['version'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toContain('nothing to release')
    expect(p.git('rev-parse', 'HEAD')).toBe(head)
    expect(p.git('status', '--porcelain')).toBe('')
    expect(tags()).toEqual(['v0.1.0'])
  }, 60_000)

  it('--dry-run shows the version the commits call for and its section, and writes nothing', async () => {
    p.write({ 'src/runts_counts/__init__.py': 'def count(words, unique=False):\n    return len(set(words) if unique else words)\n' })
    p.commit('feat(count): count unique words')
    const head = p.git('rev-parse', 'HEAD')
    const r = await run(['--dry-run', 'version'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toBe('version\n')
    expect(r.stderr).toContain('a real run checks first: version: ✓ the git working tree is clean')
    expect(r.stderr).toContain('version: would release 0.2.0 (minor: 1 feat, 1 docs since v0.1.0), writing pyproject.toml, CHANGELOG.md')
    expect(r.stderr).toMatch(/^## 0\.2\.0\n\n_2027-01-01_\n\n### Features\n\n- \*\*count:\*\* count unique words \([0-9a-f]{7}\)$/m)
    expect(p.git('rev-parse', 'HEAD')).toBe(head)
    expect(existsSync(path.join(p.dir, 'CHANGELOG.md'))).toBe(false)
  }, 60_000)

  it('refuses a dirty tree before anything', async () => {
    p.write({ 'notes.txt': 'scratch' })
    const r = await run(['version'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('notes.txt (untracked)')
    expect(r.stderr).not.toContain('start version')
    expect(tags()).toEqual(['v0.1.0'])
    p.git('clean', '-qf', 'notes.txt')
  }, 60_000)

  it('writes the version into pyproject.toml, a CHANGELOG.md section on top, commits and tags; pushes nothing', async () => {
    const r = await run(['version'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toContain('0.2.0 (minor: 1 feat, 1 docs since v0.1.0): wrote pyproject.toml, CHANGELOG.md')
    expect(readFileSync(path.join(p.dir, 'pyproject.toml'), 'utf8')).toContain('version = "0.2.0"\n')
    const changelog = readFileSync(path.join(p.dir, 'CHANGELOG.md'), 'utf8')
    expect(changelog).toMatch(/^# Changelog\n[\s\S]*\n## 0\.2\.0\n\n_2027-01-01_\n\n### Features\n\n- \*\*count:\*\* count unique words/)
    expect(changelog).toContain('### Documentation\n\n- explain the counting')
    expect(subject()).toBe('chore(release): v0.2.0')
    expect(p.git('status', '--porcelain')).toBe('')
    expect(p.git('cat-file', '-t', 'v0.2.0').trim()).toBe('tag')
    expect(p.git('rev-parse', 'v0.2.0^{commit}')).toBe(p.git('rev-parse', 'HEAD'))
    expect(origin.git('tag', '--list').trim()).toBe('v0.1.0')
  }, 60_000)
})

describe('release:prod, then publish:github', () => {
  const files = ['runts_counts-0.2.0-py3-none-any.whl', 'runts_counts-0.2.0.tar.gz']

  it('release:prod uploads to TestPyPI and PyPI, and says it skipped publish:github without GITHUB_TOKEN', async () => {
    const r = await run(['--yes', 'release:prod'])
    expect(r.code, output(r)).toBe(0)
    expect(readdirSync(prodIndex.packages).sort()).toEqual(files)
    expect(r.stdout).toContain('GITHUB_TOKEN is not set: skipped publish:github (no GitHub release); set it to make one')
    expect(github.log).toEqual([])
  }, 300_000)

  it('publish:github on its own needs GITHUB_TOKEN (exit 2, nothing asked of GitHub)', async () => {
    const r = await run(['publish:github'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('GITHUB_TOKEN is not set: give a token that may write releases')
    expect(github.log).toEqual([])
  }, 60_000)

  const gh = () => ({ GITHUB_TOKEN: github.token, GITHUB_REPOSITORY: github.repository, GITHUB_API_URL: github.apiUrl })

  it('makes the release of the tag: its CHANGELOG.md section as notes, the very files PyPI has as assets', async () => {
    // dist/ holds other bytes under the same names (a rebuild): never what the release attaches.
    for (const f of files) writeFileSync(path.join(p.dir, 'dist', f), 'a rebuild, not what PyPI has')
    const r = await run(['publish:github'], gh())
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toContain(
      `GitHub release v0.2.0 (https://github.example.test/octo/counts/releases/tag/v0.2.0): uploaded ${files.join(', ')}`,
    )
    expect(output(r)).not.toContain(github.token)
    const [release] = github.releases
    expect(release).toMatchObject({ tag_name: 'v0.2.0', prerelease: false, target_commitish: p.git('rev-parse', 'v0.2.0^{commit}').trim() })
    expect(release!.body).toMatch(/^### Features\n\n- \*\*count:\*\* count unique words \([0-9a-f]{7}\)\n\n### Documentation/)
    const digests = Object.fromEntries(release!.assets.map((a) => [a.name, createHash('sha256').update(a.bytes).digest('hex')]))
    expect(digests).toEqual(Object.fromEntries(files.map((f) => [f, sha256(path.join(prodIndex.packages, f))])))
    // Every call carried the token, to the API under /api/v3 and the uploads host under /api/uploads.
    expect(github.log.every((l) => l.authorized)).toBe(true)
    expect(github.log.filter((l) => l.request.startsWith('POST uploads/api/uploads/repos/octo/counts/releases/'))).toHaveLength(2)
  }, 120_000)

  it('is safe to run again: the assets there are checked by their bytes (no digest on this server), none uploaded twice', async () => {
    const before = github.log.length
    const r = await run(['publish:github'], gh())
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toContain(`already there: ${files.join(', ')}`)
    const calls = github.log.slice(before)
    expect(calls.filter((l) => l.request.startsWith('POST'))).toEqual([])
    // Each asset read through GitHub's redirect to its storage, which never saw the token.
    expect(calls.filter((l) => l.request.startsWith('GET uploads/storage/'))).toEqual([
      expect.objectContaining({ authorized: false }),
      expect.objectContaining({ authorized: false }),
    ])
  }, 120_000)

  it('adds a missing asset, and refuses a same-named asset with other bytes, naming both digests', async () => {
    const release = github.releases[0]!
    const wheel = release.assets.find((a) => a.name === files[0])!
    release.assets.splice(release.assets.indexOf(wheel), 1)
    const added = await run(['publish:github'], gh())
    expect(added.code, output(added)).toBe(0)
    expect(added.stdout).toContain(`uploaded ${files[0]}; already there: ${files[1]}`)
    const sdist = release.assets.find((a) => a.name === files[1])!
    sdist.bytes = Buffer.from('not the sdist')
    const r = await run(['publish:github'], gh())
    expect(r.code).toBe(1)
    const other = createHash('sha256').update('not the sdist').digest('hex')
    expect(r.stderr).toContain(
      `the release v0.2.0 has an asset ${files[1]} with other bytes (sha256 ${other}) than the one here (sha256 ${sha256(path.join(prodIndex.packages, files[1]!))})`,
    )
    expect(release.assets.find((a) => a.name === files[1])!.bytes.toString()).toBe('not the sdist')
  }, 120_000)
})

describe('trusted publishing: twine uploads with a token minted by the index’s exchange', () => {
  /** Under GitHub Actions with id-token: write, the token variable empty, to the index behind the exchange. */
  const actions = () => ({
    GITHUB_ACTIONS: 'true',
    ACTIONS_ID_TOKEN_REQUEST_URL: oidc.idTokenUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.idRequestToken,
    TEST_PYPI_TOKEN: '',
    TEST_PYPI_URL: oidc.indexUrl,
    TEST_PYPI_INDEX_URL: `${oidc.indexUrl}simple/`,
  })
  const onTestIndex = (version: string) => readdirSync(testIndex.packages).filter((f) => f.startsWith(`runts_counts-${version}`))

  beforeAll(async () => {
    p.write({ 'src/runts_counts/__init__.py': 'def count(words, unique=False):\n    return len(set(words) if unique else list(words))\n' })
    p.commit('fix: count any iterable')
    const r = await run(['version'])
    expect(r.stdout).toContain('0.2.1 (patch: 1 fix since v0.2.0)')
  }, 60_000)

  it('refuses before anything when there is neither a token nor an ID token (exit 2)', async () => {
    const r = await run(['publish:test'], {
      ...actions(),
      ACTIONS_ID_TOKEN_REQUEST_URL: undefined,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined,
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('TEST_PYPI_TOKEN is not set, and this job cannot use trusted publishing (no ACTIONS_ID_TOKEN_REQUEST_URL)')
    expect(r.stdout).not.toContain('start build')
  }, 60_000)

  it('shows the index’s reasons when it refuses the token request, and uploads nothing', async () => {
    oidc.publisher = { repository: 'octo/other', workflow: 'runts.yml' }
    const r = await run(['publish:test'], actions())
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      `trusted publishing to ${oidc.indexUrl.slice(0, -1)} failed: the index refused the token request (HTTP 422, Token request failed)`,
    )
    expect(r.stderr).toContain(
      "* invalid-publisher: valid token, but no corresponding publisher (Publisher with matching claims was not found: Check failed for required claim 'repository')",
    )
    oidc.disabled = true
    const off = await run(['publish:test'], actions())
    expect(off.code).toBe(1)
    expect(off.stderr).toContain(
      'the index has trusted publishing switched off (Trusted publishing functionality not enabled): set the token instead',
    )
    expect(onTestIndex('0.2.1')).toEqual([])
    expect(oidc.minted).toBe(0)
    oidc.disabled = false
    oidc.publisher = { repository: 'octo/sample', workflow: 'runts.yml', environment: 'release-prod' }
  }, 120_000)

  it('mints a short-lived token, gives it to twine, and the real pypiserver takes the upload; the token is masked', async () => {
    const r = await run(['publish:test'], actions())
    expect(r.code, output(r)).toBe(0)
    expect(oidc.minted).toBe(1)
    expect(r.stdout).toContain(`trusted publishing: minted a short-lived upload token for ${oidc.indexUrl.slice(0, -1)}`)
    expect(onTestIndex('0.2.1').sort()).toEqual(['runts_counts-0.2.1-py3-none-any.whl', 'runts_counts-0.2.1.tar.gz'])
    expect(r.stdout).toContain(`runts-counts 0.2.1 installs from ${oidc.indexUrl}simple/ and imports`)
    // Announced to GitHub's log masker, and nowhere else.
    const lines = output(r).split('\n')
    expect(lines).toContain(`::add-mask::${testIndex.token}`)
    expect(lines.filter((line) => !line.startsWith('::add-mask::')).join('\n')).not.toContain(testIndex.token)
  }, 300_000)
})
