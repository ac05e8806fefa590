/**
 * The PyPI token check, with tokens in the real format: macaroons serialized by pymacaroons (the
 * library warehouse makes PyPI's tokens with), in both of its binary formats, read by runts without
 * Python.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { readMacaroon } from '../../src/release/macaroon.js'
import { pypiSite, pypiTokenProblem } from '../../src/release/pypi-token.js'
import { makePypiToken } from '../helpers/pypi-token.js'

const PYPI = 'https://upload.pypi.org/legacy/'
const TEST_PYPI = 'https://test.pypi.org/legacy/'
const now = new Date('2030-01-01T00:00:00Z')
const seconds = now.getTime() / 1000
let pypi: string
let testPypi: string
let v1: string

beforeAll(async () => {
  ;[pypi, testPypi, v1] = await Promise.all([
    makePypiToken({ location: 'pypi.org', caveats: [{ version: 1, permissions: 'user' }] }),
    makePypiToken({
      location: 'test.pypi.org',
      caveats: [
        [0, seconds + 3600, seconds - 3600],
        [1, ['rd-probe']],
      ],
    }),
    makePypiToken({ location: 'test.pypi.org', version: 1, caveats: [{ version: 1, permissions: { projects: ['Other_Project'] } }] }),
  ])
}, 120_000)

describe('readMacaroon', () => {
  it("reads a pymacaroons V2 token's location, identifier and caveats", () => {
    const m = readMacaroon(testPypi.slice('pypi-'.length))
    expect(m?.location).toBe('test.pypi.org')
    expect(m?.identifier).toMatch(/^[0-9a-f-]{36}$/)
    expect(m?.caveats).toEqual([`[0, ${seconds + 3600}, ${seconds - 3600}]`, '[1, ["rd-probe"]]'])
  })

  it('reads the V1 format too', () => {
    const m = readMacaroon(v1.slice('pypi-'.length))
    expect(m?.location).toBe('test.pypi.org')
    expect(m?.caveats).toEqual(['{"version": 1, "permissions": {"projects": ["Other_Project"]}}'])
  })

  it('says nothing of a token cut short, of text that is not base64, and of the empty string', () => {
    const body = pypi.slice('pypi-'.length)
    for (const cut of [body.slice(0, 20), body.slice(0, body.length - 10), 'not a macaroon!', '', 'AAAA']) {
      expect(readMacaroon(cut)).toBeUndefined()
    }
  })
})

describe('pypiTokenProblem', () => {
  const check = (token: string, uploadUrl: string, project = 'rd-probe') =>
    pypiTokenProblem({ variable: 'TOKEN_VAR', token, uploadUrl, project, now })

  it('knows PyPI and TestPyPI by their upload URLs, and no other index', () => {
    expect(pypiSite(PYPI)).toBe('pypi.org')
    expect(pypiSite('https://pypi.org/legacy/')).toBe('pypi.org')
    expect(pypiSite(TEST_PYPI)).toBe('test.pypi.org')
    expect(pypiSite('http://127.0.0.1:8080/')).toBeUndefined()
    expect(pypiSite('not a url')).toBeUndefined()
  })

  it('passes a token of the site it uploads to', () => {
    expect(check(pypi, PYPI)).toBeUndefined()
    expect(check(testPypi, TEST_PYPI)).toBeUndefined()
  })

  it('refuses a TestPyPI token for PyPI and the reverse, naming the variable and where to make one, never the token', () => {
    const forPyPI = check(testPypi, PYPI)
    expect(forPyPI).toBe(
      'TOKEN_VAR is a token made on test.pypi.org, but it is given for pypi.org (https://upload.pypi.org/legacy/): ' +
        'TestPyPI and PyPI are separate sites, with separate accounts and tokens; make one at https://pypi.org/manage/account/token/ and put it in TOKEN_VAR',
    )
    expect(check(pypi, TEST_PYPI)).toContain('TOKEN_VAR is a token made on pypi.org, but it is given for test.pypi.org')
    expect(`${forPyPI}${check(pypi, TEST_PYPI)}`).not.toContain(testPypi.slice(5, 30))
  })

  it('refuses what is not a PyPI token, and a token cut short', () => {
    expect(check('hunter2', PYPI)).toBe(
      'TOKEN_VAR is not a PyPI API token (those start with pypi-): make one at https://pypi.org/manage/account/token/ and put it in TOKEN_VAR',
    )
    expect(check(pypi.slice(0, 40), PYPI)).toContain(
      'TOKEN_VAR starts with pypi- but is not a whole API token (cut short when it was copied?)',
    )
  })

  it('refuses an expired token, a token not valid yet, and a token for other projects (names compared in PEP 503 form)', async () => {
    const expired = await makePypiToken({ location: 'pypi.org', caveats: [[0, seconds - 60, seconds - 3600]] })
    expect(check(expired, PYPI)).toMatch(/^TOKEN_VAR expired on 2029-12-31T23:59:00\.000Z; make one at/)
    const later = await makePypiToken({ location: 'pypi.org', caveats: [[0, seconds + 7200, seconds + 3600]] })
    expect(check(later, PYPI)).toMatch(/^TOKEN_VAR is valid only from 2030-01-01T01:00:00\.000Z/)
    expect(check(testPypi, TEST_PYPI, 'RD.Probe')).toBeUndefined()
    expect(check(testPypi, TEST_PYPI, 'another')).toMatch(/^TOKEN_VAR may upload only to rd-probe, not to another/)
    expect(check(v1, TEST_PYPI, 'other-project')).toBeUndefined()
    expect(check(v1, TEST_PYPI)).toMatch(/^TOKEN_VAR may upload only to Other_Project, not to rd-probe/)
  }, 60_000)

  it('checks nothing for a self-hosted index, or when the token is empty (the variables check names a missing one)', () => {
    expect(check('anything at all', 'http://127.0.0.1:8080/')).toBeUndefined()
    expect(check('', PYPI)).toBeUndefined()
  })
})
