/**
 * Issue 19, the npm template: only the tested bytes ship. Each reproduction of the issue, as a new npm
 * library maintainer ran into it, against two real registries (verdaccio on 127.0.0.1: a test and a
 * prod one): what a tarball holds is checked path by path, what was published is installed and
 * imported before production, and production gets the tarball the test registry holds.
 */
import { type ChildProcess, execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Registry, startRegistry } from '../../scripts/registry.js'
import { filesHolding } from '../helpers/cached-project.js'
import { GitRepo } from '../helpers/git-repo.js'
import { cli, repo, runProcess } from '../helpers/project.js'
import { published } from '../helpers/published.js'
import { startRegistryFront } from '../helpers/registry-front.js'

let test: Registry
let prod: Registry
const repos: GitRepo[] = []

beforeAll(async () => {
  ;[test, prod] = await Promise.all([startRegistry(), startRegistry()])
})
afterAll(async () => {
  for (const p of repos) p.remove()
  await Promise.all([test?.stop(), prod?.stop()])
})

const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr
const run = (p: GitRepo, args: string[]) => runProcess(process.execPath, [cli, ...args], { cwd: p.dir })

/** A package written by `run --init --template npm` with a .env for both registries; committed. */
async function npmProject(
  manifest: Record<string, unknown>,
  files: Record<string, string>,
  env: Record<string, string> = {},
): Promise<GitRepo> {
  const p = new GitRepo({ 'package.json': `${JSON.stringify(manifest, null, 2)}\n`, ...files }, { commit: false })
  repos.push(p)
  mkdirSync(path.join(p.dir, 'node_modules'))
  symlinkSync(repo, path.join(p.dir, 'node_modules', 'runts'))
  const init = await run(p, ['--init'])
  expect(init.stdout).toContain('the npm template')
  const vars = { TEST_REGISTRY: test.url, TEST_NPM_TOKEN: test.token, PROD_REGISTRY: prod.url, PROD_NPM_TOKEN: prod.token, ...env }
  p.write({
    '.env': Object.entries(vars)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  })
  return p.commit('first')
}

/** The versions a registry has of a package. */
function versions(registry: Registry, name: string): string[] {
  try {
    return [].concat(
      JSON.parse(
        execFileSync('npm', ['view', name, 'versions', '--json', '--registry', registry.url], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }),
      ),
    )
  } catch {
    return []
  }
}

/** dist.integrity of a version on a registry. */
async function integrity(registry: Registry, name: string, version: string): Promise<string | undefined> {
  const doc = (await (await fetch(`${registry.url}${name}`)).json()) as { versions?: Record<string, { dist: { integrity: string } }> }
  return doc.versions?.[version]?.dist.integrity
}

const build = (line: string) => ({ build: line })

describe('npm: every path of the tarball is checked', () => {
  it('8. a git-ignored config/.env under a folder `files` ships is refused, naming it; the token it holds goes nowhere', async () => {
    const secret = 'npm_SECRETsecretSECRET0123456789'
    const p = await npmProject(
      {
        name: 'rd-npm-config',
        version: '1.0.0',
        main: 'dist/index.js',
        files: ['dist', 'config'],
        scripts: build('mkdir -p dist && cp index.js dist/'),
      },
      { 'index.js': 'export const answer = 42\n', 'config/defaults.json': '{}\n' },
    )
    // Git-ignored (the .env line --init wrote matches at any depth), so the tree stays clean.
    p.write({ 'config/.env': `API_TOKEN=${secret}\n` })
    expect(p.git('status', '--porcelain')).toBe('')
    const r = await run(p, ['release:test'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("rd-npm-config-1.0.0.tgz carries files that are not the package's: config/.env; nothing was published")
    expect(output(r)).not.toContain(secret)
    expect(versions(test, 'rd-npm-config')).toEqual([])
  }, 120_000)

  it('8. a build that writes the tasks file into dist/ (tsc without include) is refused, naming dist/tasks.config.js', async () => {
    const p = await npmProject(
      {
        name: 'rd-npm-tsc',
        version: '1.0.0',
        main: 'dist/index.js',
        files: ['dist'],
        scripts: build('mkdir -p dist && cp index.js dist/ && cp tasks.config.ts dist/tasks.config.js'),
      },
      { 'index.js': 'export const answer = 42\n' },
    )
    const r = await run(p, ['release:test'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("rd-npm-tsc-1.0.0.tgz carries files that are not the package's: dist/tasks.config.js; nothing was published")
    expect(versions(test, 'rd-npm-tsc')).toEqual([])
  }, 120_000)

  it('8. a .envrc (direnv) with a token, under a folder `files` ships, is refused like any other .env*: nothing published', async () => {
    const secret = 'npm_ENVRCsecretENVRC0123456789'
    const p = await npmProject(
      {
        name: 'rd-npm-envrc',
        version: '1.0.0',
        main: 'dist/index.js',
        files: ['dist'],
        scripts: build('mkdir -p dist && cp index.js .envrc dist/'),
      },
      { 'index.js': 'export const answer = 42\n', '.envrc': `export API_TOKEN=${secret}\n` },
    )
    const r = await run(p, ['release:test'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("rd-npm-envrc-1.0.0.tgz carries files that are not the package's: dist/.envrc; nothing was published")
    expect(output(r)).not.toContain(secret)
    expect(versions(test, 'rd-npm-envrc')).toEqual([])
  }, 120_000)
})

describe('npm: broken packages never go out', () => {
  it('9. a "files" typo (lib for dist) leaves the exports out of the tarball (only package.json ships): refused before anything is published', async () => {
    // npm packs `main` whatever `files` says, not what `exports` names.
    const p = await npmProject(
      {
        name: 'rd-npm-typo',
        version: '1.0.0',
        type: 'module',
        exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
        files: ['lib'],
        scripts: build('mkdir -p dist && cp index.js dist/'),
      },
      { 'index.js': 'export const answer = 42\n' },
    )
    const r = await run(p, ['release:test'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      'rd-npm-typo-1.0.0.tgz lacks what its package.json names: exports .: ./dist/index.d.ts; exports .: ./dist/index.js (it holds 1 files: package.json)',
    )
    expect(versions(test, 'rd-npm-typo')).toEqual([])
  }, 120_000)

  it('9. a main that is not in the tarball, and a missing bin, are named', async () => {
    const p = await npmProject(
      {
        name: 'rd-npm-main',
        version: '1.0.0',
        main: 'lib/index.js',
        bin: { 'rd-main': 'bin/cli.js' },
        files: ['dist'],
        scripts: build('mkdir -p dist && cp index.js dist/'),
      },
      { 'index.js': 'export const answer = 42\n' },
    )
    const r = await run(p, ['release:test'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('rd-npm-main-1.0.0.tgz lacks what its package.json names: main: lib/index.js; bin rd-main: bin/cli.js')
    expect(versions(test, 'rd-npm-main')).toEqual([])
  }, 120_000)

  it('9. a main of "." is the folder\'s index.js, as require() finds it: not named missing', async () => {
    const p = await npmProject(
      { name: 'rd-npm-main-dot', version: '1.0.0', main: '.', files: ['index.js'] },
      { 'index.js': 'module.exports = { answer: 42 }\n' },
    )
    const r = await run(p, ['release:test'])
    expect(r.code, output(r)).toBe(0)
    expect(published(test, 'rd-npm-main-dot@1.0.0')).toEqual(['index.js', 'package.json'])
  }, 120_000)

  it('9. a build that lives only in prepublishOnly is run before the pack, as npm publish would: the tarball has it', async () => {
    const p = await npmProject(
      {
        name: 'rd-npm-prepublish',
        version: '1.0.0',
        main: 'dist/index.js',
        files: ['dist'],
        scripts: { prepublishOnly: 'mkdir -p dist && cp index.js dist/' },
      },
      { 'index.js': 'export const answer = 42\n' },
    )
    const r = await run(p, ['release:test'])
    expect(r.code, output(r)).toBe(0)
    expect(published(test, 'rd-npm-prepublish@1.0.0')).toEqual(['dist/index.js', 'package.json'])
    expect(r.stdout).toContain(`rd-npm-prepublish@1.0.0 from ${test.url} installs into a fresh project (import('rd-npm-prepublish'))`)
  }, 120_000)

  it('9. what the test registry holds is installed into a fresh project, imported and its bins started before production: an undeclared dependency stops release:prod', async () => {
    const p = await npmProject(
      {
        name: 'rd-npm-undeclared',
        version: '1.0.0',
        type: 'module',
        main: 'index.js',
        bin: { 'rd-undeclared': 'cli.js' },
        files: ['index.js', 'cli.js'],
      },
      {
        'index.js': "import 'rd-npm-never-declared'\nexport const answer = 42\n",
        'cli.js': '#!/usr/bin/env node\nconsole.log("usage: rd-undeclared")\n',
      },
    )
    p.tag('v1.0.0')
    const r = await run(p, ['--yes', 'release:prod'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("import('rd-npm-undeclared') exited 1 in a fresh install of the tarball")
    expect(r.stderr).toContain('rd-npm-never-declared')
    expect(versions(test, 'rd-npm-undeclared')).toEqual(['1.0.0'])
    expect(versions(prod, 'rd-npm-undeclared')).toEqual([])

    // Fixed (1.0.1): it imports, and its bin answers --help.
    p.write({
      'index.js': 'export const answer = 42\n',
      'package.json': p.git('show', 'HEAD:package.json').replace('"1.0.0"', '"1.0.1"'),
    })
    p.commit('1.0.1').tag('v1.0.1')
    const fixed = await run(p, ['--yes', 'release:prod'])
    expect(fixed.code, output(fixed)).toBe(0)
    expect(fixed.stdout).toContain(
      `rd-npm-undeclared@1.0.1 from ${test.url} installs into a fresh project (import('rd-npm-undeclared'), rd-undeclared --help)`,
    )
    expect(versions(prod, 'rd-npm-undeclared')).toEqual(['1.0.1'])
  }, 120_000)
})

describe('npm: production gets the tarball the test registry holds', () => {
  it('10. release:prod after a change to a version already on the test registry is refused, naming both integrities; prod gets nothing', async () => {
    const p = await npmProject(
      { name: 'rd-npm-promote', version: '1.4.0', main: 'index.js', files: ['index.js'] },
      { 'index.js': 'export const answer = 42\n' },
    )
    p.tag('v1.4.0')
    const first = await run(p, ['release:test'])
    expect(first.code, output(first)).toBe(0)
    p.write({ 'index.js': 'export const answer = 43\n' }).commit('change')
    p.git('tag', '-f', 'v1.4.0')
    const r = await run(p, ['--yes', 'release:prod'])
    expect(r.code).toBe(1)
    const tested = await integrity(test, 'rd-npm-promote', '1.4.0')
    expect(tested).toMatch(/^sha512-/)
    expect(r.stderr).toMatch(
      new RegExp(
        `rd-npm-promote@1\\.4\\.0 on ${test.url.replaceAll('.', '\\.')} has integrity ${tested!.replace(/[+/]/g, '\\$&')}, this build has sha512-`,
      ),
    )
    expect(r.stderr).toContain('the test registry holds another build of this version than this one')
    expect(versions(prod, 'rd-npm-promote')).toEqual([])

    // Told to skip the test registry, publish:prod publishes dist-pack/ (this build), and its question says so.
    const skip = { RELEASE_SKIP_TEST_INDEX: '1' }
    const dry = await runProcess(process.execPath, [cli, '--dry-run', 'publish:prod'], { cwd: p.dir, env: skip })
    expect(dry.stderr).toContain(
      `a real run asks first: Publish rd-npm-promote@1.4.0 to ${prod.url} from dist-pack/, never checked on the test registry (RELEASE_SKIP_TEST_INDEX=1)?`,
    )
    const skipped = await runProcess(process.execPath, [cli, '--yes', 'publish:prod'], { cwd: p.dir, env: skip })
    expect(skipped.code, output(skipped)).toBe(0)
    const shipped = await integrity(prod, 'rd-npm-promote', '1.4.0')
    expect(shipped).not.toBe(tested)
    // Production now holds other bytes than the test registry: both named.
    const again = await run(p, ['--yes', 'publish:prod'])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain(
      `rd-npm-promote@1.4.0 is already on ${prod.url}, which never accepts a version twice: bump the version in package.json, then build again ` +
        `(and not with what the test registry holds: its integrity is ${shipped}, the test registry's ${tested})`,
    )
  }, 120_000)

  it('10. publish:prod publishes the very tarball the test registry holds (same integrity), installed first, and refuses a version that never went through it', async () => {
    const p = await npmProject(
      { name: 'rd-npm-same', version: '2.0.0', main: 'index.js', files: ['index.js'] },
      { 'index.js': 'export const answer = 42\n' },
    )
    p.tag('v2.0.0')
    const alone = await run(p, ['--yes', 'publish:prod'])
    expect(alone.code).toBe(2)
    expect(alone.stderr).toContain(`rd-npm-same@2.0.0 is not on the test registry (${test.url})`)
    expect(alone.stderr).toContain('RELEASE_SKIP_TEST_INDEX=1')
    expect(versions(prod, 'rd-npm-same')).toEqual([])
    const tested = await run(p, ['release:test'])
    expect(tested.code, output(tested)).toBe(0)
    // A dist-pack/ that is not what the test registry holds: publish:prod does not look at it (no build), it downloads.
    p.write({ 'dist-pack/rd-npm-same-1.9.0.tgz': 'an older build' })
    const r = await run(p, ['--yes', 'publish:prod'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stderr).not.toContain('› start build')
    expect(r.stdout).toContain(`rd-npm-same@2.0.0 from ${test.url} installs into a fresh project (import('rd-npm-same'))`)
    expect(await integrity(prod, 'rd-npm-same', '2.0.0')).toBe(await integrity(test, 'rd-npm-same', '2.0.0'))
  }, 120_000)

  it('a TEST_REGISTRY that is PROD_REGISTRY is refused before anything runs: release:test would publish to production, unasked', async () => {
    const p = await npmProject(
      { name: 'rd-npm-one-registry', version: '1.0.0', main: 'index.js', files: ['index.js'] },
      { 'index.js': 'export const answer = 42\n' },
      // The same registry, written another way.
      { TEST_REGISTRY: prod.url.replace(/\/$/, ''), TEST_NPM_TOKEN: prod.token },
    )
    p.tag('v1.0.0')
    for (const task of ['release:test', 'release:prod']) {
      const r = await run(p, ['--yes', task])
      expect(r.code, output(r)).toBe(2)
      expect(r.stderr).toContain(
        `TEST_REGISTRY and PROD_REGISTRY name one registry (${prod.url}): publish:test would publish to production, without the question publish:prod asks`,
      )
      expect(r.stderr).not.toContain('› start')
    }
    expect(versions(prod, 'rd-npm-one-registry')).toEqual([])
  }, 120_000)

  it('a token the test registry does not take is refused before anything runs (npm whoami)', async () => {
    const p = await npmProject(
      { name: 'rd-npm-token', version: '1.0.0', main: 'index.js', files: ['index.js'] },
      { 'index.js': 'export const answer = 42\n' },
      { TEST_NPM_TOKEN: 'not-a-token-of-this-registry' },
    )
    const r = await run(p, ['release:test'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`publish:test: ${test.url} does not take TEST_NPM_TOKEN (npm whoami: no user for it)`)
    expect(r.stderr).not.toContain('› start')
    expect(output(r)).not.toContain('not-a-token-of-this-registry')
  }, 120_000)
})

describe('npm: a registry that lies or never stops talking, a run killed mid-upload', () => {
  it('a package document that never ends is refused at a bound, not read into memory for 15 s: named, nothing runs', async () => {
    const endless = await startRegistryFront(test.url, {
      answer: (req, res) => {
        if (req.method !== 'GET' || !req.url?.startsWith('/rd-npm-endless')) return false
        res.writeHead(200, { 'content-type': 'application/json' })
        res.write('{"versions":{"0.0.1":"')
        const block = Buffer.alloc(1024 * 1024, 'a')
        const pump = () => {
          while (!res.destroyed && res.write(block)) {}
        }
        res.on('drain', pump)
        pump()
        return true
      },
    })
    try {
      const p = await npmProject(
        { name: 'rd-npm-endless', version: '1.0.0', main: 'index.js', files: ['index.js'] },
        { 'index.js': 'export const answer = 42\n' },
        { TEST_REGISTRY: endless.url },
      )
      const r = await run(p, ['release:test'])
      expect(r.code, output(r)).toBe(2)
      expect(r.stderr).toContain(`publish:test: ${endless.url}rd-npm-endless answered more than`)
      expect(r.stderr).not.toContain('did not answer within')
      expect(r.stderr).not.toContain('› start')
    } finally {
      await endless.stop()
    }
  }, 120_000)

  it('a dist.integrity that is no integrity string (terminal escapes in it) is refused before anything runs, shown escaped', async () => {
    const p = await npmProject(
      { name: 'rd-npm-liar', version: '1.0.0', main: 'index.js', files: ['index.js'] },
      { 'index.js': 'export const answer = 42\n' },
    )
    p.tag('v1.0.0')
    const tested = await run(p, ['release:test'])
    expect(tested.code, output(tested)).toBe(0)
    const lie = JSON.stringify('sha512-\u001b[2J\u001b]0;pwned\u0007')
    const liar = await startRegistryFront(test.url, { rewrite: (_, text) => text.replace(/"integrity":\s*"[^"]*"/g, `"integrity":${lie}`) })
    try {
      const r = await runProcess(process.execPath, [cli, '--yes', 'publish:prod'], { cwd: p.dir, env: { TEST_REGISTRY: liar.url } })
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(
        `${liar.url} lists rd-npm-liar@1.0.0 with the integrity "sha512-\\u001b[2J\\u001b]0;pwned\\u0007", which is not an integrity string (sha512-…)`,
      )
      expect(output(r)).not.toContain('\u001b')
      expect(r.stderr).not.toContain('› start')
      expect(versions(prod, 'rd-npm-liar')).toEqual([])
    } finally {
      await liar.stop()
    }
  }, 120_000)

  it('two releases of one version at once: the one whose upload the registry refuses finds its bytes there and goes on', async () => {
    let held!: () => void
    const holding = new Promise<void>((resolve) => {
      held = resolve
    })
    let release!: () => void
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    let puts = 0
    // The first upload waits until the second run has published: then the registry refuses it (E409).
    const front = await startRegistryFront(test.url, {
      answer: async (req) => {
        if (req.method === 'PUT' && puts++ === 0) {
          held()
          await released
        }
        return false
      },
    })
    try {
      const files = { 'index.js': 'export const answer = 42\n' }
      const manifest = { name: 'rd-npm-race', version: '1.0.0', main: 'index.js', files: ['index.js'] }
      const [a, b] = await Promise.all([0, 1].map(() => npmProject(manifest, files, { TEST_REGISTRY: front.url })))
      const first = run(a!, ['release:test'])
      await holding
      const second = await run(b!, ['release:test'])
      expect(second.code, output(second)).toBe(0)
      release()
      const r = await first
      expect(r.code, output(r)).toBe(0)
      expect(r.stdout).toContain(`rd-npm-race@1.0.0 is on ${front.url} with the same integrity: another run published it`)
      expect(r.stdout).toContain(`rd-npm-race@1.0.0 from ${front.url} installs into a fresh project`)
      expect(versions(test, 'rd-npm-race')).toEqual(['1.0.0'])
    } finally {
      release()
      await front.stop()
    }
  }, 120_000)

  it('the token is never written to disk: not while npm publish uploads, nor left behind when runts is killed with SIGKILL then', async () => {
    const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-tmpdir-')))
    let uploading!: () => void
    const upload = new Promise<void>((resolve) => {
      uploading = resolve
    })
    let release!: () => void
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    // The upload is held while the test looks at the temp folder runts and npm use.
    const front = await startRegistryFront(test.url, {
      answer: async (req) => {
        if (req.method === 'PUT') {
          uploading()
          await released
        }
        return false
      },
    })
    try {
      const p = await npmProject(
        { name: 'rd-npm-on-disk', version: '1.0.0', main: 'index.js', files: ['index.js'] },
        { 'index.js': 'export const answer = 42\n' },
        { TEST_REGISTRY: front.url },
      )
      let child: ChildProcess | undefined
      const r = runProcess(process.execPath, [cli, 'release:test'], { cwd: p.dir, env: { TMPDIR: tmp }, onStart: (c) => (child = c) })
      await upload
      const during = filesHolding(tmp, test.token)
      child!.kill('SIGKILL')
      expect((await r).signal).toBe('SIGKILL')
      release()
      expect(during).toEqual([])
      expect(filesHolding(tmp, test.token)).toEqual([])
    } finally {
      release()
      await front.stop()
      rmSync(tmp, { recursive: true, force: true })
    }
  }, 120_000)
})
