/**
 * The pure parts of the release checks: names and versions as the packaging
 * PEPs spell them, picking one version's files, git output, index pages.
 * (PEP 440 against Python's own `packaging` is in test/release/python-versions.test.ts.)
 */
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { listSome, runCheck } from '../../src/release/check.js'
import { pickDistFiles } from '../../src/release/dist-files.js'
import { gitClean, parseStatus } from '../../src/release/git-clean.js'
import { redact } from '../../src/release/http.js'
import { notPublished } from '../../src/release/not-published.js'
import { npmToken } from '../../src/release/npm-token.js'
import { pathWithFirst } from '../../src/release/path-first.js'
import * as publicApi from '../../src/release/public.js'
import { fromHtml, fromJson, indexForUpload } from '../../src/release/pypi-index.js'
import { pypiToken } from '../../src/release/pypi-token.js'
import { normalizeName, normalizeVersion } from '../../src/release/python-names.js'
import { tagMatchesVersion } from '../../src/release/tag-matches-version.js'
import { versionFromDescribe } from '../../src/release/version-from-tag.js'

describe('names and versions', () => {
  it('normalises names as PEP 503 says', () => {
    expect(normalizeName('My.Package__Name')).toBe('my-package-name')
    expect(normalizeName('pycounts')).toBe('pycounts')
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), (n) => normalizeName(normalizeName(n)) === normalizeName(n)))
  })

  it('normalises versions as PEP 440 says, and refuses what is not one', () => {
    expect(normalizeVersion('v1.0-RC1')).toBe('1.0rc1')
    expect(normalizeVersion('1.0-1')).toBe('1.0.post1')
    expect(normalizeVersion('01.002.0')).toBe('1.2.0')
    expect(normalizeVersion('0!1.0.dev')).toBe('1.0.dev0')
    expect(normalizeVersion('1.0+Ubuntu-01')).toBe('1.0+ubuntu.1')
    expect(normalizeVersion('not a version')).toBeUndefined()
    expect(normalizeVersion('1.0.0-beta.1')).toBe('1.0.0b1')
    expect(normalizeVersion('1.0.0-beta.x')).toBeUndefined()
  })
})

describe('pickDistFiles', () => {
  const dist = [
    'my_package-0.1.0.tar.gz',
    'my_package-0.1.0-py3-none-any.whl',
    'my_package-0.1.1.tar.gz',
    'my_package-0.1.1-py3-none-any.whl',
    'my_package-0.1.1-1-cp311-cp311-manylinux_2_17_x86_64.whl',
    'My-Package-0.1.1.zip',
    'my_package_extra-0.1.1.tar.gz',
    'other-0.1.1.tar.gz',
    'my-package-0.1.1.tgz',
    'README.txt',
  ]

  it('picks the sdists and wheels of one version, names and versions normalised', () => {
    expect(pickDistFiles(dist, { name: 'My.Package', version: '0.1.1' })).toEqual([
      'my_package-0.1.1.tar.gz',
      'my_package-0.1.1-py3-none-any.whl',
      'my_package-0.1.1-1-cp311-cp311-manylinux_2_17_x86_64.whl',
      'My-Package-0.1.1.zip',
    ])
    expect(pickDistFiles(['pkg-1.0rc1.tar.gz', 'pkg-1.0rc1-py3-none-any.whl'], { name: 'pkg', version: '1.0-RC1' })).toHaveLength(2)
  })

  it('picks the npm tarball of one version, scoped names included', () => {
    expect(pickDistFiles(['runts-0.1.0.tgz', 'runts-0.2.0.tgz'], { name: 'runts', version: '0.2.0' })).toEqual(['runts-0.2.0.tgz'])
    expect(pickDistFiles(['scope-tool-1.0.0.tgz', 'tool-1.0.0.tgz'], { name: '@scope/tool', version: '1.0.0' })).toEqual([
      'scope-tool-1.0.0.tgz',
    ])
  })

  it('picks nothing when the version is not there', () => {
    expect(pickDistFiles(dist, { name: 'my-package', version: '0.2.0' })).toEqual([])
  })
})

describe('versionFromDescribe (setuptools-scm schemes)', () => {
  const now = new Date('2026-01-31T23:00:00Z')
  it('gives the tag on the tagged commit', () => {
    expect(versionFromDescribe('v1.2.3-0-g1234567890abcdef', now)).toBe('1.2.3')
  })
  it('gives the next dev version with the commit after the tag, and the date when dirty', () => {
    expect(versionFromDescribe('v1.2.3-4-g1234567890abcdef', now)).toBe('1.2.4.dev4+g123456789')
    expect(versionFromDescribe('v1.2.3-4-g1234567890abcdef-dirty', now)).toBe('1.2.4.dev4+g123456789.d20260131')
    expect(versionFromDescribe('v1.2.3-0-g1234567890abcdef-dirty', now)).toBe('1.2.4.dev0+g123456789.d20260131')
    expect(versionFromDescribe('v1.3.0rc1-1-gabcdef0123', now)).toBe('1.3.0rc2.dev1+gabcdef012')
    expect(versionFromDescribe('v2.0.dev0-2-gabcdef0123', now)).toBe('2.0.dev2+gabcdef012')
  })
  it('refuses a tag that is not a version', () => {
    expect(() => versionFromDescribe('vnext-0-gabc', now)).toThrow('the tag vnext is not a version')
  })
})

describe('git status and index pages', () => {
  it('reads porcelain -z status, renames included', () => {
    const out = ' M src/a.py\0?? notes.txt\0R  new.py\0old.py\0 D gone.py\0A  added.py\0'
    expect(parseStatus(out)).toEqual([
      'src/a.py (modified)',
      'notes.txt (untracked)',
      'new.py (renamed)',
      'gone.py (deleted)',
      'added.py (added)',
    ])
  })

  it('reads file names, links and sha256 digests from PEP 503 HTML and PEP 691 JSON pages', () => {
    const sha = 'AB'.repeat(32)
    const html = `<html><body><a href="/packages/pkg-1.0.tar.gz#sha256=${sha}">pkg-1.0.tar.gz</a><br>
      <a data-requires-python="&gt;=3.8" href='../../packages/pkg-1.0-py3-none-any.whl#md5=cd'>x</a></body></html>`
    expect(fromHtml(html)).toEqual([
      { filename: 'pkg-1.0.tar.gz', url: '/packages/pkg-1.0.tar.gz', sha256: sha.toLowerCase() },
      { filename: 'pkg-1.0-py3-none-any.whl', url: '../../packages/pkg-1.0-py3-none-any.whl' },
    ])
    const json = { meta: {}, name: 'pkg', files: [{ filename: 'pkg-1.0.tar.gz', url: 'x', hashes: { sha256: sha } }, { url: 'no name' }] }
    expect(fromJson(JSON.stringify(json))).toEqual([{ filename: 'pkg-1.0.tar.gz', url: 'x', sha256: sha.toLowerCase() }])
  })

  it("puts a folder first on PATH once, whatever the variable's case; no folder leaves the environment as it is", () => {
    const env = { PATH: ['/usr/bin', '/venv/bin', '/bin'].join(path.delimiter), OTHER: '1' }
    expect(pathWithFirst(env, '/venv/bin')).toEqual({ PATH: ['/venv/bin', '/usr/bin', '/bin'].join(path.delimiter), OTHER: '1' })
    expect(pathWithFirst({ Path: '/usr/bin' }, '/venv/bin')).toEqual({ Path: ['/venv/bin', '/usr/bin'].join(path.delimiter) })
    expect(pathWithFirst({}, '/venv/bin')).toEqual({ PATH: '/venv/bin' })
    expect(pathWithFirst(env, undefined)).toBe(env)
  })

  it('finds the simple index of an upload URL', () => {
    expect(indexForUpload('https://test.pypi.org/legacy/')).toBe('https://test.pypi.org/simple/')
    expect(indexForUpload('https://upload.pypi.org/legacy')).toBe('https://pypi.org/simple/')
    expect(indexForUpload('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/simple/')
  })

  it('shows URLs without credentials or queries', () => {
    expect(redact('https://__token__:pypi-secret@example.org/simple/?token=abc#x')).toBe('https://example.org/simple/')
    expect(redact('pypi-secret')).toBe('(an invalid URL)')
  })
})

describe('runCheck and listSome', () => {
  it('turns a throw into a message, and nothing into undefined', async () => {
    expect(await runCheck(() => undefined)).toBeUndefined()
    expect(await runCheck(async () => 'bad')).toBe('bad')
    expect(
      await runCheck(() => {
        throw new Error('boom')
      }),
    ).toBe('boom')
  })
  it('names a few, then counts the rest', () => {
    expect(listSome(['a', 'b'])).toBe('a, b')
    expect(listSome(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe('a, b, c, d, e and 2 more')
  })
})

describe('check names, for the dry run', () => {
  it('say what each check checks, never a token', () => {
    expect(gitClean().name).toBe('the git working tree is clean')
    expect(tagMatchesVersion().name).toBe('HEAD carries the version tag')
    expect(tagMatchesVersion('1.2.3').name).toBe('HEAD carries the tag v1.2.3')
    expect(notPublished({ index: 'https://__token__:pypi-secret@test.pypi.org/simple/' }).name).toBe(
      'the version is not on https://test.pypi.org/simple/ yet',
    )
    expect(notPublished().name).toBe('the version is not on the default registry yet')
    expect(notPublished(() => ({ index: 'x' })).name).toBe('the version is not on the registry yet')
    expect(pypiToken('PYPI_TOKEN', 'PYPI_URL', 'https://upload.pypi.org/legacy/').name).toBe(
      'PYPI_TOKEN is a token of the site it uploads to',
    )
    expect(npmToken('PROD_NPM_TOKEN', 'PROD_REGISTRY').name).toBe('PROD_REGISTRY takes PROD_NPM_TOKEN (npm whoami)')
    // As 'runts' exports them: named before their code loads.
    expect(publicApi.pypiToken('T', 'U', 'https://x/').name).toBe('T is a token of the site it uploads to')
    expect(publicApi.npmToken('T', 'R').name).toBe('R takes T (npm whoami)')
  })
})
