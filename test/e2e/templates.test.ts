/**
 * The ready-made tasks files, written by `run --init`, run for real: the npm
 * template publishes to a real registry (verdaccio on 127.0.0.1); the python
 * template builds with Debian's python3-build and checks with twine, and its
 * uploads are recorded by a stand-in `twine` on PATH.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Registry, startRegistry } from '../../scripts/registry.js'
import { Project, runProcess } from '../helpers/project.js'

describe('the npm template against a real registry', () => {
  let registry: Registry
  let p: Project
  beforeAll(async () => {
    registry = await startRegistry()
    p = new Project({
      'package.json': JSON.stringify({ name: 'runts-sample-package', version: '1.0.0', files: ['index.js'] }),
      'index.js': 'export const answer = 42\n',
    })
    const init = await p.run(['--init'])
    expect(init.code).toBe(0)
    expect(init.stdout).toContain('the npm template')
    writeFileSync(path.join(p.dir, '.env'), `TEST_REGISTRY=${registry.url}\nTEST_NPM_TOKEN=${registry.token}\n`)
  })
  afterAll(() => registry?.stop())

  it('publishes with the token from .env, and never prints it', async () => {
    const r = await p.run(['release:test'])
    expect(r.stderr).toContain('5 tasks done')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`published runts-sample-package@1.0.0 to ${registry.url}`)
    expect(r.stdout + r.stderr).not.toContain(registry.token)
    const view = await runProcess('npm', ['view', 'runts-sample-package@1.0.0', 'version', '--registry', registry.url], { cwd: p.dir })
    expect(view.stdout.trim()).toBe('1.0.0')
  })

  it('refuses to publish the same version again, naming registry and version, and runs nothing after', async () => {
    writeFileSync(
      path.join(p.dir, '.env'),
      `TEST_REGISTRY=${registry.url}\nTEST_NPM_TOKEN=${registry.token}\nPROD_REGISTRY=${registry.url}\nPROD_NPM_TOKEN=${registry.token}\n`,
    )
    const r = await p.run(['--yes', 'release:prod'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`runts-sample-package@1.0.0 is already published on ${registry.url}`)
    expect(r.stderr).toMatch(/- publish:prod +not started/)
    expect(r.stdout).not.toContain('published runts-sample-package')
  })

  it('reports a missing token before clean deletes anything', async () => {
    writeFileSync(path.join(p.dir, '.env'), `TEST_REGISTRY=${registry.url}\n`)
    mkdirSync(path.join(p.dir, 'dist'), { recursive: true })
    writeFileSync(path.join(p.dir, 'dist', 'keep.txt'), 'still here')
    const r = await p.run(['release:test'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('TEST_NPM_TOKEN  (needed by publish:test)')
    expect(existsSync(path.join(p.dir, 'dist', 'keep.txt'))).toBe(true)
  })
})

describe('the python template', () => {
  const pyproject = `[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "runts-sample"
version = "0.1.0"
description = "A sample package"
readme = "README.md"
requires-python = ">=3.8"

[project.optional-dependencies]
dev = []
`
  const standIn = `#!/bin/sh
# A recording twine: each call's arguments and credentials, one line each.
printf 'args=%s\\n' "$*" >> "$TWINE_LOG"
printf 'user=%s password=%s\\n' "$TWINE_USERNAME" "$TWINE_PASSWORD" >> "$TWINE_LOG"
`
  let p: Project
  beforeAll(async () => {
    p = new Project({
      'pyproject.toml': pyproject,
      'README.md': '# runts-sample\n',
      'src/runts_sample/__init__.py': '__version__ = "0.1.0"\n',
      '.env':
        'PYTHON=/usr/bin/python3\nPYTHON_BUILD_ARGS=--no-isolation\nTEST_PYPI_TOKEN=pypi-test-token-value\nPYPI_TOKEN=pypi-prod-token-value\n',
    })
    expect((await p.run(['--init'])).stdout).toContain('the python template')
  })

  it('builds an sdist and a wheel that pass twine check', async () => {
    const r = await p.run(['check'])
    expect(r.stderr).toContain('2 tasks done')
    expect(r.code).toBe(0)
    const built = readdirSync(path.join(p.dir, 'dist'))
    expect(built).toHaveLength(2)
    expect(built).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^runts[-_]sample-0\.1\.0-py3-none-any\.whl$/),
        expect.stringMatching(/^runts[-_]sample-0\.1\.0\.tar\.gz$/),
      ]),
    )
    expect(r.stdout.match(/PASSED/g)).toHaveLength(2)
  })

  it('uploads non-interactively as __token__ with the tokens from .env', async () => {
    const bin = path.join(p.dir, 'stand-in')
    mkdirSync(bin, { recursive: true })
    writeFileSync(path.join(bin, 'twine'), standIn)
    chmodSync(path.join(bin, 'twine'), 0o755)
    const log = path.join(p.dir, 'twine.log')
    const env = { PATH: `${bin}:${process.env.PATH}`, TWINE_LOG: log }
    const test = await p.run(['publish:test'], { env })
    expect(test.code).toBe(0)
    const prod = await p.run(['--yes', 'publish:prod'], { env })
    expect(prod.code).toBe(0)
    expect(test.stdout + test.stderr + prod.stdout + prod.stderr).not.toContain('token-value')
    const calls = readFileSync(log, 'utf8')
    expect(calls).toMatch(
      /args=upload --non-interactive --repository-url https:\/\/test\.pypi\.org\/legacy\/ dist\/\S+ dist\/\S+\nuser=__token__ password=pypi-test-token-value/,
    )
    expect(calls).toMatch(
      /args=upload --non-interactive --repository-url https:\/\/upload\.pypi\.org\/legacy\/ .*\nuser=__token__ password=pypi-prod-token-value/,
    )
  })
})
