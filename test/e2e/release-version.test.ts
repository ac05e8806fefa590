/**
 * `run version` and `run publish:github` of both templates as `run --init` writes them, in real git
 * repositories: where each kind of project keeps its version (Poetry's table, a setuptools-scm tag,
 * package.json and its lock), prereleases (PEP 440 for Python, semver for npm, published to a real
 * verdaccio under the dist-tag `next`, never `latest`), versions given by hand, and the npm tarball
 * as the release's asset on a stand-in of GitHub's documented release endpoints.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Registry, startRegistry } from '../../scripts/registry.js'
import { GitRepo, pyproject } from '../helpers/git-repo.js'
import { type GithubStandIn, startGithubStandIn } from '../helpers/github-api.js'
import { cli, repo, runProcess } from '../helpers/project.js'

const repos: GitRepo[] = []
afterAll(() => {
  for (const r of repos) r.remove()
})

/** A repository holding `files` with runts linked in and the template `run --init` chose, committed as `chore: first`. */
async function initialized(files: Record<string, string>, template: 'python' | 'npm'): Promise<GitRepo> {
  const p = new GitRepo(files, { commit: false })
  repos.push(p)
  mkdirSync(path.join(p.dir, 'node_modules'))
  symlinkSync(repo, path.join(p.dir, 'node_modules', 'runts'))
  const init = await runIn(p, ['--init'])
  expect(init.stdout).toContain(`the ${template} template`)
  return p.commit('chore: first')
}

function runIn(p: GitRepo, args: string[], env: Record<string, string | undefined> = {}) {
  return runProcess(process.execPath, [cli, ...args], { cwd: p.dir, env: { GITHUB_ACTIONS: undefined, ...env } })
}
const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr
const read = (p: GitRepo, file: string) => readFileSync(path.join(p.dir, file), 'utf8')
const tags = (p: GitRepo) => p.git('tag', '--list').split('\n').filter(Boolean).sort()

describe('a Poetry project', () => {
  let p: GitRepo
  beforeAll(async () => {
    p = await initialized(
      {
        'pyproject.toml':
          '[tool.poetry]\nname = "poetic"\nversion = "1.0.0"  # the release\ndescription = ""\n\n[tool.other]\nversion = "9"\n',
      },
      'python',
    )
    p.tag('v1.0.0', true)
  })

  it('gets the version in [tool.poetry], comments and other tables left as they were', async () => {
    p.git('commit', '-q', '--allow-empty', '-m', 'feat: rhyme')
    const r = await runIn(p, ['version'])
    expect(r.code, output(r)).toBe(0)
    expect(read(p, 'pyproject.toml')).toBe(
      '[tool.poetry]\nname = "poetic"\nversion = "1.1.0"  # the release\ndescription = ""\n\n[tool.other]\nversion = "9"\n',
    )
    expect(tags(p)).toEqual(['v1.0.0', 'v1.1.0'])
  })

  it('makes PEP 440 prereleases: run version prerelease counts them up, a release then finalizes', async () => {
    p.git('commit', '-q', '--allow-empty', '-m', 'feat!: drop prose\n\nBREAKING CHANGE: prose is gone')
    let r = await runIn(p, ['version', 'prerelease'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toContain('2.0.0rc1 (major: 1 feat! since v1.1.0)')
    p.git('commit', '-q', '--allow-empty', '-m', 'fix: metre')
    r = await runIn(p, ['version', 'prerelease'])
    expect(r.stdout).toContain('2.0.0rc2 (patch: 1 fix since v2.0.0rc1)')
    r = await runIn(p, ['version', 'prerelease', 'b'])
    expect(r.stdout).toContain('2.0.0b1')
    expect(read(p, 'pyproject.toml')).toContain('version = "2.0.0b1"')
    r = await runIn(p, ['version'])
    expect(r.stdout).toContain('2.0.0 (major: 1 fix, 1 feat! since v1.1.0)')
    expect(tags(p)).toEqual(['v1.0.0', 'v1.1.0', 'v2.0.0', 'v2.0.0b1', 'v2.0.0rc1', 'v2.0.0rc2'])
    expect(read(p, 'CHANGELOG.md')).toMatch(/## 2\.0\.0\n\n_\d{4}-\d\d-\d\d_\n\n### Breaking changes\n\n- prose is gone \(/)
  })

  it('takes a bump or a version by hand, and refuses one that is not above the latest release', async () => {
    let r = await runIn(p, ['version', 'patch'])
    expect(r.stdout).toContain('2.0.1 (asked for: patch since v2.0.0)')
    r = await runIn(p, ['version', '2.0.1'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('2.0.1 is not above the latest release, v2.0.1: give a higher version')
    r = await runIn(p, ['version', 'sideways'])
    expect(r.stderr).toContain("'sideways' is neither patch, minor, major, prerelease nor a version")
    r = await runIn(p, ['version', '3.0.0a1'])
    expect(r.code, output(r)).toBe(0)
    expect(tags(p)).toContain('v3.0.0a1')
  })
})

describe('a setuptools-scm project', () => {
  it('gets only the tag (and the changelog): its version is the tag’s', async () => {
    const p = await initialized({ 'pyproject.toml': pyproject('scm-probe', undefined, 'setuptools') }, 'python')
    p.tag('v1.0.0')
    p.git('commit', '-q', '--allow-empty', '-m', 'fix: a leak')
    const before = read(p, 'pyproject.toml')
    const r = await runIn(p, ['version'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toContain('1.0.1 (patch: 1 fix since v1.0.0): wrote CHANGELOG.md')
    expect(read(p, 'pyproject.toml')).toBe(before)
    expect(p.git('show', '--name-only', '--format=%s', 'HEAD').trim().split('\n')).toEqual(['chore(release): v1.0.1', '', 'CHANGELOG.md'])
    expect(p.git('describe', '--tags', '--exact-match').trim()).toBe('v1.0.1')
  })
})

describe('below 1.0.0', () => {
  it('a breaking change bumps the minor, and says so', async () => {
    const p = await initialized({ 'pyproject.toml': pyproject('young-probe', '0.3.0', 'hatchling') }, 'python')
    p.tag('v0.3.0', true)
    p.git('commit', '-q', '--allow-empty', '-m', 'feat!: a new shape')
    const r = await runIn(p, ['--dry-run', 'version'])
    expect(r.code, output(r)).toBe(0)
    expect(output(r)).toContain('would release 0.4.0 (minor, a breaking change below 1.0.0: 1 feat! since v0.3.0)')
  })
})

describe('no release tagged yet', () => {
  it('counts from 0.0.0 as python-semantic-release does, but never below the version the file states', async () => {
    const p = await initialized({ 'pyproject.toml': pyproject('fresh-probe', '2.0.0', 'hatchling') }, 'python')
    p.git('commit', '-q', '--allow-empty', '-m', 'fix: first fix')
    const r = await runIn(p, ['version'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      'pyproject.toml says 2.0.0 and no v* tag marks a release yet, so the commits count from 0.0.0 and ask for 0.0.1',
    )
    const given = await runIn(p, ['version', '2.0.0'])
    expect(given.code, output(given)).toBe(0)
    expect(tags(p)).toEqual(['v2.0.0'])
  })
})

describe('an npm package: version, prereleases under next, the GitHub release', () => {
  let registry: Registry
  let github: GithubStandIn
  let p: GitRepo
  const name = 'runts-course-sample'
  const view = (field: string, spec = name) =>
    JSON.parse(execFileSync('npm', ['view', spec, field, '--json', '--registry', registry.url], { cwd: p.dir, encoding: 'utf8' }))

  beforeAll(async () => {
    ;[registry, github] = await Promise.all([startRegistry(), startGithubStandIn({ repository: 'octo/course-sample' })])
    const manifest = { name, version: '1.0.0', files: ['index.js'] }
    const lock = { name, version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name, version: '1.0.0' } } }
    p = await initialized(
      {
        'package.json': `${JSON.stringify(manifest, null, 4)}\n`,
        'package-lock.json': `${JSON.stringify(lock, null, 2)}\n`,
        'index.js': 'export const answer = 42\n',
      },
      'npm',
    )
    p.write({ '.env': `TEST_REGISTRY=${registry.url}\nTEST_NPM_TOKEN=${registry.token}\n` })
    p.tag('v1.0.0', true)
    const first = await runIn(p, ['publish:test'])
    expect(first.code, output(first)).toBe(0)
  }, 120_000)
  afterAll(async () => {
    await Promise.all([registry?.stop(), github?.stop()])
  })

  it('writes a prerelease into package.json (its indentation kept) and both versions of its lock', async () => {
    p.write({ 'index.js': 'export const answer = 42\nexport const question = "?"\n' }).commit('feat: ask')
    const r = await runIn(p, ['version', 'prerelease'])
    expect(r.code, output(r)).toBe(0)
    expect(read(p, 'package.json')).toBe(`${JSON.stringify({ name, version: '1.1.0-rc.1', files: ['index.js'] }, null, 4)}\n`)
    const lock = JSON.parse(read(p, 'package-lock.json'))
    expect([lock.version, lock.packages[''].version]).toEqual(['1.1.0-rc.1', '1.1.0-rc.1'])
    expect(tags(p)).toEqual(['v1.0.0', 'v1.1.0-rc.1'])
  })

  it('publishes a prerelease under the dist-tag next, never latest, without being told', async () => {
    const refused = await runIn(p, ['publish:test'], { NPM_DIST_TAG: 'latest' })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('1.1.0-rc.1 is a prerelease: it never goes under the dist-tag latest')
    const r = await runIn(p, ['publish:test'])
    expect(r.code, output(r)).toBe(0)
    expect(view('dist-tags')).toEqual({ latest: '1.0.0', next: '1.1.0-rc.1' })
    const beta = await runIn(p.commit('fix: spelling'), ['version', 'prerelease', 'beta'])
    expect(beta.stdout).toContain('1.1.0-beta.1')
    // Through the pipeline, as people run it: release:test passes its arguments on to publish:test (argsTo).
    const told = await runIn(p, ['release:test', '--tag', 'beta'])
    expect(told.code, output(told)).toBe(0)
    expect(told.stderr).not.toContain('ignored')
    expect(view('dist-tags')).toEqual({ latest: '1.0.0', next: '1.1.0-rc.1', beta: '1.1.0-beta.1' })
  }, 120_000)

  it('publish:github attaches the tarball the registry has, marks a prerelease as one, and adds nothing twice', async () => {
    // The production registry is this one here: the tarball attached is the one it holds, never dist-pack/'s.
    const env = { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.apiUrl, PROD_REGISTRY: registry.url, PROD_NPM_TOKEN: registry.token }
    // A rebuild with other bytes lies in dist-pack/ (what a release must never attach).
    const packed = path.join(p.dir, 'dist-pack', `${name}-1.1.0-beta.1.tgz`)
    writeFileSync(packed, 'not the published bytes')
    // GITHUB_REPOSITORY unset: the origin remote says which repository.
    p.git('remote', 'add', 'origin', 'git@github.com:octo/course-sample.git')
    const r = await runIn(p, ['publish:github'], env)
    expect(r.code, output(r)).toBe(0)
    const [release] = github.releases
    expect(release).toMatchObject({ tag_name: 'v1.1.0-beta.1', prerelease: true })
    // A first beta counts from the last full release, as python-semantic-release does: both commits.
    expect(release!.body).toMatch(/^### Features\n\n- ask \([0-9a-f]{7}\)\n\n### Bug fixes\n\n- spelling \(/)
    const tarball = `${name}-1.1.0-beta.1.tgz`
    expect(release!.assets.map((a) => a.name)).toEqual([tarball])
    const integrity = `sha512-${createHash('sha512').update(release!.assets[0]!.bytes).digest('base64')}`
    expect(view('dist.integrity', `${name}@1.1.0-beta.1`)).toBe(integrity)
    const again = await runIn(p, ['publish:github'], env)
    expect(again.stdout).toContain(`already there: ${tarball}`)
    expect(github.log.filter((l) => l.request.startsWith('POST uploads'))).toHaveLength(1)
    // This server gives digests: the asset's bytes were not read back.
    expect(github.log.filter((l) => l.request.includes('/storage/'))).toEqual([])
  }, 120_000)
})

describe('a run of version that stopped between its commit and its tag', () => {
  it('is not released twice when run again: no second commit, no second section, and the way to finish it named', async () => {
    const p = await initialized({ 'package.json': `${JSON.stringify({ name: 'runts-half-tagged', version: '1.0.0' })}\n` }, 'npm')
    p.tag('v1.0.0', true)
    p.commit('fix: a leak')
    // The tag fails after the commit (tag.gpgSign with no gpg to sign), as an interrupted run leaves it.
    p.git('config', 'tag.gpgSign', 'true')
    p.git('config', 'gpg.program', 'false')
    const failed = await runIn(p, ['version'])
    expect(failed.code).not.toBe(0)
    expect(p.git('log', '-1', '--format=%s')).toBe('chore(release): v1.0.1\n')
    expect(tags(p)).toEqual(['v1.0.0'])
    p.git('config', '--unset', 'tag.gpgSign')
    const release = p.git('rev-parse', '--short', 'HEAD').trim()
    const again = await runIn(p, ['version'])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain(
      `the commit chore(release): v1.0.1 (${release}) is there without its tag: a run of version stopped before tagging it. ` +
        `Tag it (git tag --annotate v1.0.1 ${release} -m v1.0.1), or give another version (run version X.Y.Z)`,
    )
    expect(p.git('rev-parse', '--short', 'HEAD').trim()).toBe(release)
    expect(read(p, 'CHANGELOG.md').match(/^## 1\.0\.1$/gm)).toHaveLength(1)
    const dry = await runIn(p, ['--dry-run', 'version'])
    expect(dry.stderr + dry.stdout).toContain(`the commit chore(release): v1.0.1 (${release}) is there without its tag`)
  })
})
