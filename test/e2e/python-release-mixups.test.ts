/**
 * The python template against the mistakes a new Python maintainer makes, as found in review: a .env
 * whose test upload URL is the production index's (a line copied from one to the other), a release:prod
 * run again after its last step, publish:github, failed, and a PYTHON that `run install` never set up.
 * Two real pypiservers (a test and a prod index), the stand-in of GitHub's release endpoints, real venvs.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GithubStandIn, startGithubStandIn } from '../helpers/github-api.js'
import { type PackageIndex, startPackageIndex } from '../helpers/pypi.js'
import { exec } from '../helpers/python.js'
import { hatchlingPackage, output, PythonProject } from '../helpers/python-project.js'

let test: PackageIndex
let prod: PackageIndex
let github: GithubStandIn
const projects: PythonProject[] = []

beforeAll(async () => {
  ;[test, prod, github] = await Promise.all([startPackageIndex(), startPackageIndex(), startGithubStandIn()])
}, 300_000)
afterAll(async () => {
  for (const p of projects) p.remove()
  await Promise.all([test?.stop(), prod?.stop(), github?.stop()])
})

/** A hatchling package with a test and a lint hook, at 0.1.0. */
async function project(name: string, env: Record<string, string | undefined> = {}) {
  const files = hatchlingPackage(name, '0.1.0')
  const p = await PythonProject.create(files, { test, prod, env })
  projects.push(p)
  return p
}

const held = (index: PackageIndex, prefix: string) =>
  readdirSync(index.packages)
    .filter((f) => f.startsWith(prefix))
    .sort()

describe('python: two indexes mixed up', () => {
  it("refuses, before anything runs, a TEST_PYPI_URL that is the production index's: publish:test would upload there untested", async () => {
    // The prod index's upload URL (and the token it takes) copied into the test lines; the test index still read.
    const p = await project('mx-copied', { TEST_PYPI_URL: prod.uploadUrl, TEST_PYPI_TOKEN: prod.token })
    const r = await p.run(['--yes', 'publish:test'])
    expect(r.code, output(r)).toBe(2)
    expect(r.stderr).toContain(
      `TEST_PYPI_URL and PYPI_URL both name ${prod.uploadUrl}: publish:test would upload to the production index, untested`,
    )
    expect(r.stderr).not.toContain('› start')
    expect(held(prod, 'mx_copied')).toEqual([])
    expect(held(test, 'mx_copied')).toEqual([])
    expect(output(r)).not.toContain(prod.token)
  }, 120_000)

  it('refuses the same of the indexes read (TEST_PYPI_INDEX_URL is PYPI_INDEX_URL), however the trailing slash is written', async () => {
    const p = await project('mx-read', { TEST_PYPI_INDEX_URL: prod.indexUrl.replace(/\/$/, '') })
    const r = await p.run(['--dry-run', 'release:test'])
    expect(r.stderr).toContain(`✗ testIsNotProduction: would fail: TEST_PYPI_INDEX_URL and PYPI_INDEX_URL both name ${prod.indexUrl}`)
  }, 120_000)

  it("takes PyPI's own upload URL without its trailing slash as PyPI's, and still refuses a real mix of indexes", async () => {
    // PyPI's upload URL as often written, with PyPI's index left as the default: one index, no refusal.
    const p = await project('mx-slash', { PYPI_URL: 'https://upload.pypi.org/legacy', PYPI_INDEX_URL: undefined })
    const r = await p.run(['--dry-run', 'release:prod'])
    expect(r.stderr).toContain('uploadAndIndexAgree')
    expect(r.stderr).not.toContain('uploadAndIndexAgree: would fail')
    // PyPI's upload URL with a local index to read: the versions seen would not be the ones uploaded to.
    const mixed = await p.run(['--dry-run', 'release:prod'], { PYPI_INDEX_URL: prod.indexUrl })
    expect(mixed.stderr).toContain(
      `✗ uploadAndIndexAgree: would fail: PYPI_URL (https://upload.pypi.org/legacy) and PYPI_INDEX_URL (${prod.indexUrl}) name different indexes`,
    )
  }, 120_000)
})

describe('python: release:prod again after publish:github failed', () => {
  it('says the version is on PyPI with the tested sha256 and to run publish:github, not only to bump the version; publish:github then makes the release', async () => {
    const p = await project('mx-github')
    p.repo.tag('v0.1.0')
    const gh = { GITHUB_API_URL: github.apiUrl, GITHUB_REPOSITORY: github.repository }
    const first = await p.run(['--yes', 'release:prod'], { ...gh, GITHUB_TOKEN: 'ghs_revoked0000000000000000000000000000' })
    expect(first.code, output(first)).toBe(1)
    expect(first.stderr).toContain("task 'publish:github' threw")
    expect(held(prod, 'mx_github')).toHaveLength(2)

    const again = await p.run(['--yes', 'release:prod'], { ...gh, GITHUB_TOKEN: github.token })
    expect(again.code, output(again)).toBe(2)
    expect(again.stderr).toContain(
      `its files there have the sha256 the test index lists: if only its GitHub release is missing (publish:github failed), run publish:github`,
    )
    expect(again.stderr).not.toContain('› start')

    const fixed = await p.run(['publish:github'], { ...gh, GITHUB_TOKEN: github.token })
    expect(fixed.code, output(fixed)).toBe(0)
    expect(
      github.releases
        .find((r) => r.tag_name === 'v0.1.0')
        ?.assets.map((a) => a.name)
        .sort(),
    ).toEqual(held(prod, 'mx_github'))
  }, 300_000)
})

describe('python: a PYTHON without the tools', () => {
  it('says which tool PYTHON lacks and to run `run install`, where python only said "No module named"', async () => {
    const p = await project('mx-bare')
    // A venv that `run install` never filled (PYTHON set in .env, install skipped).
    await exec('python3', ['-m', 'venv', '--without-pip', path.join(p.dir, 'bare')])
    p.writeEnv({ PYTHON: 'bare/bin/python' })
    for (const [task, tool, module] of [
      ['lint', 'pre-commit', 'pre_commit'],
      ['test', 'pytest', 'pytest'],
      ['build', 'build', 'build'],
    ] as const) {
      const r = await p.run([task])
      expect(r.code, output(r)).toBe(1)
      expect(r.stderr).toContain(
        `${path.join(p.dir, 'bare/bin/python')} has no ${tool} (No module named ${module}): run \`run install\`, which installs the tools into PYTHON, ` +
          'or set PYTHON in .env to the python that has them (PYTHON=.venv/bin/python)',
      )
    }
  }, 120_000)
})
