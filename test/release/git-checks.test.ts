/**
 * gitClean, tagMatchesVersion and readProject against real git repositories
 * in temp folders: clean and dirty, tagged and untagged, static versions and
 * setuptools-scm's `dynamic = ["version"]`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCheck } from '../../src/release/check.js'
import { gitClean } from '../../src/release/git-clean.js'
import { readProject } from '../../src/release/project.js'
import { tagMatchesVersion } from '../../src/release/tag-matches-version.js'
import { versionFromTag } from '../../src/release/version-from-tag.js'
import { GitRepo, pyproject } from '../helpers/git-repo.js'

const repos: GitRepo[] = []
function repo(files: Record<string, string>, options?: { commit?: boolean }): GitRepo {
  const r = new GitRepo(files, options)
  repos.push(r)
  return r
}
afterEach(() => {
  for (const r of repos.splice(0)) r.remove()
})

describe('gitClean', () => {
  it('passes a clean tree, and ignored files do not count', async () => {
    const r = repo({ 'a.py': 'x = 1\n', '.gitignore': 'build/\n' })
    r.write({ 'build/out.txt': 'ignored' })
    expect(await runCheck(gitClean(), { cwd: r.dir })).toBeUndefined()
  })

  it('names modified, staged, deleted and untracked files, and says what to do', async () => {
    const r = repo({ 'a.py': 'x = 1\n', 'b.py': 'y = 2\n', 'c.py': '' })
    r.write({ 'a.py': 'x = 2\n', 'notes.txt': 'todo' })
    r.git('rm', '-q', 'c.py')
    r.write({ 'd.py': 'new' })
    r.git('add', 'd.py')
    const message = await runCheck(gitClean(), { cwd: r.dir })
    expect(message).toContain('the git working tree is not clean')
    expect(message).toContain('a.py (modified)')
    expect(message).toContain('notes.txt (untracked)')
    expect(message).toContain('c.py (deleted)')
    expect(message).toContain('d.py (added)')
    expect(message).toContain('git stash --include-untracked')
  })

  it('names five files, then counts the others', async () => {
    const r = repo({ 'keep.txt': '' })
    r.write(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`new${i}.txt`, String(i)])))
    expect(await runCheck(gitClean(), { cwd: r.dir })).toMatch(/new4\.txt \(untracked\) and 3 more/)
  })

  it('lets untracked files be with untracked: false', async () => {
    const r = repo({ 'a.py': '' })
    r.write({ 'scratch.txt': '' })
    expect(await runCheck(gitClean({ untracked: false }), { cwd: r.dir })).toBeUndefined()
    r.write({ 'a.py': 'changed' })
    expect(await runCheck(gitClean({ untracked: false }), { cwd: r.dir })).toContain('a.py (modified)')
  })

  it('says so outside a git repository', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-nogit-'))
    try {
      expect(await runCheck(gitClean(), { cwd: dir })).toMatch(/is not in a git repository: run 'git init'/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('tagMatchesVersion', () => {
  it('passes when HEAD carries v<version> from pyproject.toml, lightweight or annotated', async () => {
    const r = repo({ 'pyproject.toml': pyproject('pycounts', '0.1.0') })
    expect(await runCheck(tagMatchesVersion(), { cwd: r.dir })).toMatch(
      /HEAD is not tagged v0\.1\.0 \(the version in pyproject\.toml; HEAD carries no tag\): tag it \(git tag v0\.1\.0/,
    )
    r.tag('v0.1.0', true)
    expect(await runCheck(tagMatchesVersion(), { cwd: r.dir })).toBeUndefined()
    expect(await runCheck(tagMatchesVersion('0.1.0'), { cwd: r.dir })).toBeUndefined()
    expect(await runCheck(tagMatchesVersion('0.2.0'), { cwd: r.dir })).toMatch(
      /HEAD is not tagged v0\.2\.0 \(given; HEAD carries v0\.1\.0\)/,
    )
  })

  it('says where the tag is when HEAD moved on after it', async () => {
    const r = repo({ 'package.json': JSON.stringify({ name: 'pkg', version: '1.0.0' }) })
    r.tag('v1.0.0')
    const tagged = r.head().slice(0, 7)
    r.write({ 'index.js': '' }).commit('after')
    const message = await runCheck(tagMatchesVersion(), { cwd: r.dir })
    expect(message).toContain('HEAD is not the commit tagged v1.0.0 (the version in package.json): v1.0.0 is on commit')
    expect(message).toContain(tagged)
  })

  it('compares PEP 440 versions in normal form', async () => {
    const r = repo({ 'pyproject.toml': pyproject('pkg', '1.0-RC1') })
    r.tag('v1.0rc1')
    expect(await runCheck(tagMatchesVersion(), { cwd: r.dir })).toBeUndefined()
  })

  it('with dynamic = ["version"], needs HEAD on a v* tag and a clean tree', async () => {
    const r = repo({ 'pyproject.toml': pyproject('scmpkg'), 'src/scmpkg/__init__.py': '' })
    expect(await runCheck(tagMatchesVersion(), { cwd: r.dir })).toMatch(
      /no tag matching v\[0-9\]\* is reachable from HEAD: tag the release/,
    )
    r.tag('v0.3.0')
    expect(await runCheck(tagMatchesVersion(), { cwd: r.dir })).toBeUndefined()
    expect(await versionFromTag({ cwd: r.dir })).toBe('0.3.0')
    r.write({ 'src/scmpkg/__init__.py': 'x = 1\n' })
    expect(await runCheck(tagMatchesVersion(), { cwd: r.dir })).toMatch(
      /would be 0\.3\.1\.dev0\+g[0-9a-f]{9}\.d\d{8}, which no index accepts: HEAD is tagged v0\.3\.0 but has uncommitted changes/,
    )
    r.commit('after the tag')
    expect(await runCheck(tagMatchesVersion(), { cwd: r.dir })).toMatch(/would be 0\.3\.1\.dev1\+g[0-9a-f]{9}, .*HEAD carries no v\* tag/)
  })

  it('says so in a repository with no commit', async () => {
    const r = repo({ 'pyproject.toml': pyproject('pkg', '1.0') }, { commit: false })
    expect(await runCheck(tagMatchesVersion(), { cwd: r.dir })).toMatch(/has no commit yet/)
  })
})

describe('readProject', () => {
  it('prefers pyproject.toml when package.json only holds runts', async () => {
    const r = repo({ 'pyproject.toml': pyproject('pycounts', '0.1.0'), 'package.json': '{"devDependencies":{"runts":"^0.1.0"}}' })
    expect(await readProject(r.dir)).toMatchObject({ kind: 'python', name: 'pycounts', version: '0.1.0', versionFrom: 'file' })
    await expect(readProject(r.dir, 'npm')).rejects.toThrow('package.json has no "name"')
  })

  it('reads Poetry projects, setuptools-scm projects, and says where TOML is broken', async () => {
    const r = repo({ 'pyproject.toml': '[tool.poetry]\nname = "pycounts"\nversion = "0.2.0"\n' })
    expect(await readProject(r.dir)).toMatchObject({ kind: 'python', name: 'pycounts', version: '0.2.0' })
    r.write({ 'pyproject.toml': pyproject('scm-pkg') })
    expect(await readProject(r.dir)).toMatchObject({ name: 'scm-pkg', version: undefined, versionFrom: 'tag' })
    r.write({ 'pyproject.toml': '[project]\nname = "x"\nversion = 1.0\n' })
    await expect(readProject(r.dir)).rejects.toThrow('pyproject.toml: [project] version must be a string: version = "1"')
    r.write({ 'pyproject.toml': '[project]\nname = "x"\nversion = "1.0\n' })
    await expect(readProject(r.dir)).rejects.toThrow(/pyproject\.toml:3:\d+: Invalid TOML document: .*: fix the TOML$/)
    r.write({ 'pyproject.toml': '[project]\nname = "x"\n' })
    await expect(readProject(r.dir)).rejects.toThrow('[project] has no version')
  })
})
