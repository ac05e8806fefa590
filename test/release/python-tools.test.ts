/**
 * The Python rules runts re-implements, checked against the Python tools
 * themselves from the test env: PEP 440 normal forms against `packaging`,
 * and versionFromTag against setuptools-scm in real repositories.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normalizeVersion } from '../../src/release/python-names.js'
import { versionFromTag } from '../../src/release/version-from-tag.js'
import { GitRepo, pyproject } from '../helpers/git-repo.js'
import { exec, pythonEnv } from '../helpers/python.js'

let python: string
beforeAll(async () => {
  python = (await pythonEnv()).python
})

describe('normalizeVersion agrees with packaging.version', () => {
  const versions = [
    '1.0',
    'v1.0',
    '1.0.0',
    '01.02.03',
    '1.0-RC1',
    '1.0.0-beta.1',
    '1.0a',
    '1.0.ALPHA2',
    '1.0c3',
    '1.0preview4',
    '1.0-1',
    '1.0.post',
    '1.0-r5',
    '1.0.rev6',
    '1.0.dev',
    '1.0-dev7',
    '1!2.0',
    '0!2.0',
    '1.0+Ubuntu-01',
    '1.0+abc_def.7',
    '2.0.0rc1.post2.dev3',
    ' 1.2 ',
    '1.0.0-beta.x',
    'not-a-version',
    '1.0+',
    '1..0',
    '',
  ]

  it('for every case, valid or not', async () => {
    const script = `
import json, sys
from packaging.version import Version, InvalidVersion
out = []
for v in json.loads(sys.argv[1]):
    try:
        out.append(str(Version(v)))
    except InvalidVersion:
        out.append(None)
print(json.dumps(out))`
    const { stdout } = await exec(python, ['-c', script, JSON.stringify(versions)])
    const expected = JSON.parse(stdout) as (string | null)[]
    expect(versions.map((v) => normalizeVersion(v) ?? null)).toEqual(expected)
  })
})

describe('versionFromTag agrees with setuptools-scm', () => {
  const epoch = '1769900000' // 2026-01-31T22:53:20Z
  let r: GitRepo
  beforeAll(() => {
    r = new GitRepo({ 'pyproject.toml': pyproject('scm-sample'), 'src/scm_sample/__init__.py': '' })
  })
  afterAll(() => r?.remove())

  async function both(): Promise<[string, string]> {
    const scm = await exec(python, ['-m', 'setuptools_scm'], { cwd: r.dir, env: { SOURCE_DATE_EPOCH: epoch } })
    const ours = await versionFromTag({ cwd: r.dir, now: new Date(Number(epoch) * 1000) })
    return [ours, scm.stdout.trim().split('\n').at(-1)!]
  }

  it('on the tag, after it, dirty, and after a pre-release tag', async () => {
    const seen: string[] = []
    const check = async () => {
      const [ours, scm] = await both()
      expect(ours).toBe(scm)
      seen.push(ours)
    }
    r.tag('v1.2.3', true)
    await check()
    r.write({ 'src/scm_sample/__init__.py': 'x = 1\n' })
    await check()
    r.commit('one')
    await check()
    r.write({ 'notes.txt': 'untracked files do not make it dirty' })
    r.commit('two')
    r.write({ 'src/scm_sample/__init__.py': 'x = 2\n' })
    await check()
    r.commit('three')
    r.tag('v2.0.0rc1')
    await check()
    r.commit('four')
    await check()
    expect(seen[0]).toBe('1.2.3')
    expect(seen[2]).toMatch(/^1\.2\.4\.dev1\+g[0-9a-f]{9}$/)
    expect(seen[5]).toMatch(/^2\.0\.0rc2\.dev1\+g/)
  })
})
