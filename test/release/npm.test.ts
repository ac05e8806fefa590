/**
 * notPublished and distFiles for npm packages against a real registry
 * (verdaccio on 127.0.0.1), with tarballs made by `npm pack`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Registry, startRegistry } from '../../scripts/registry.js'
import { runCheck } from '../../src/release/check.js'
import { integrityOfFile } from '../../src/release/digest.js'
import { distFiles } from '../../src/release/dist-files.js'
import { notPublished } from '../../src/release/not-published.js'
import { confirmPublished, fetchTarball, onRegistry } from '../../src/release/npm-release.js'
import { npmWhoami } from '../../src/release/npm-token.js'
import { GitRepo } from '../helpers/git-repo.js'
import { exec } from '../helpers/python.js'

let registry: Registry
let project: GitRepo
let npmrc: string

function setVersion(name: string, version: string) {
  project.write({ 'package.json': JSON.stringify({ name, version, files: ['index.js'] }) })
}

async function pack(): Promise<void> {
  mkdirSync(path.join(project.dir, 'dist'), { recursive: true })
  await exec('npm', ['pack', '--pack-destination', 'dist'], { cwd: project.dir })
}

/** npm publish of one tarball, the token in a temp npmrc (never on the command line). */
function publish(tarball: string) {
  return exec('npm', ['publish', tarball, '--registry', registry.url, '--userconfig', npmrc], { cwd: project.dir })
}

beforeAll(async () => {
  registry = await startRegistry()
  project = new GitRepo({ 'index.js': 'export const answer = 42\n' })
  npmrc = path.join(mkdtempSync(path.join(os.tmpdir(), 'runts-npmrc-')), 'npmrc')
  writeFileSync(npmrc, `${registry.url.replace(/^http:/, '')}:_authToken=${registry.token}\n`, { mode: 0o600 })
  setVersion('runts-probe-npm', '1.0.0')
  await pack()
  setVersion('runts-probe-npm', '1.0.1')
  await pack()
}, 120_000)

afterAll(async () => {
  await registry?.stop()
  project?.remove()
  if (npmrc) rmSync(path.dirname(npmrc), { recursive: true, force: true })
})

describe('npm packages', () => {
  it('picks the tarball of the version in package.json from dist/', async () => {
    const files = await distFiles({ cwd: project.dir })
    expect(files).toEqual([path.join(project.dir, 'dist', 'runts-probe-npm-1.0.1.tgz')])
  })

  it('passes before publishing, and refuses the version once the registry has it', async () => {
    const check = notPublished({ registry: registry.url })
    expect(await runCheck(check, { cwd: project.dir })).toBeUndefined()
    await publish(path.join(project.dir, 'dist', 'runts-probe-npm-1.0.0.tgz'))
    // package.json says 1.0.1: not there yet.
    expect(await runCheck(check, { cwd: project.dir })).toBeUndefined()
    expect(await runCheck(notPublished({ registry: registry.url, version: '1.0.0' }), { cwd: project.dir })).toBe(
      `runts-probe-npm@1.0.0 is already on ${registry.url}, which never accepts a version twice: release a new version`,
    )
    await publish((await distFiles({ cwd: project.dir }))[0]!)
    expect(await runCheck(check, { cwd: project.dir })).toBe(
      `runts-probe-npm@1.0.1 is already on ${registry.url}, which never accepts a version twice: bump the version in package.json, then build again`,
    )
  })

  it('finds scoped packages', async () => {
    setVersion('@runts-probe/scoped', '2.0.0')
    try {
      await pack()
      const [tarball] = await distFiles({ cwd: project.dir })
      expect(path.basename(tarball!)).toBe('runts-probe-scoped-2.0.0.tgz')
      const check = notPublished({ registry: registry.url })
      expect(await runCheck(check, { cwd: project.dir })).toBeUndefined()
      await publish(tarball!)
      expect(await runCheck(check, { cwd: project.dir })).toMatch(/^@runts-probe\/scoped@2\.0\.0 is already on /)
    } finally {
      setVersion('runts-probe-npm', '1.0.1')
    }
  })

  it('passes a version that was unpublished where the registry takes it again (verdaccio does; npmjs never does)', async () => {
    await exec('npm', ['unpublish', 'runts-probe-npm@1.0.1', '--force', '--registry', registry.url, '--userconfig', npmrc], {
      cwd: project.dir,
    })
    expect(await runCheck(notPublished({ registry: registry.url }), { cwd: project.dir })).toBeUndefined()
    await publish((await distFiles({ cwd: project.dir }))[0]!)
    expect(await runCheck(notPublished({ registry: registry.url }), { cwd: project.dir })).toContain('runts-probe-npm@1.0.1 is already on')
  })
})

describe('npm tokens and tarballs, by integrity', () => {
  it('takes a token the registry knows (npm whoami), and refuses one it answers with no user, naming the variable', async () => {
    expect(await npmWhoami(registry.url, registry.token, 'TEST_NPM_TOKEN')).toBe(registry.user)
    await expect(npmWhoami(registry.url, 'not-a-token', 'TEST_NPM_TOKEN')).rejects.toThrow(
      `${registry.url} does not take TEST_NPM_TOKEN (npm whoami: no user for it): it is wrong, expired or for another registry`,
    )
  })

  it("lists a version's integrity, downloads its tarball checked against it, and confirms a publish by it", async () => {
    const [local] = await distFiles({ cwd: project.dir })
    const integrity = await integrityOfFile(local!)
    const target = { registry: registry.url, name: 'runts-probe-npm', version: '1.0.1' }
    expect(await onRegistry(target)).toEqual({ tarball: `${registry.url}runts-probe-npm/-/runts-probe-npm-1.0.1.tgz`, integrity })
    expect(await onRegistry({ ...target, version: '9.9.9' })).toBeUndefined()
    const into = mkdtempSync(path.join(os.tmpdir(), 'runts-fetch-'))
    try {
      const fetched = await fetchTarball(target, into)
      expect(fetched).toEqual({ path: path.join(into, 'runts-probe-npm-1.0.1.tgz'), integrity })
      expect(readFileSync(fetched.path).equals(readFileSync(local!))).toBe(true)
    } finally {
      rmSync(into, { recursive: true, force: true })
    }
    await confirmPublished(target, integrity)
    await expect(confirmPublished(target, 'sha512-AAAA')).rejects.toThrow(
      `after the publish, ${registry.url} lists runts-probe-npm@1.0.1 with integrity ${integrity}, not the sha512-AAAA published`,
    )
  })
})
