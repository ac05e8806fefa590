/**
 * The ready-made tasks files, written by `run --init` into git repositories, run for real: the npm
 * template publishes to real registries (verdaccio on 127.0.0.1, a test and a prod one); the python
 * template builds with the Python test env and uploads with twine to real indexes (pypiserver, token
 * login as TestPyPI). test/e2e/python-template.test.ts takes the python template through a whole release.
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Registry, startRegistry } from '../../scripts/registry.js'
import { GitRepo, pyproject } from '../helpers/git-repo.js'
import { cli, repo, runProcess } from '../helpers/project.js'
import { published } from '../helpers/published.js'
import { type PackageIndex, startPackageIndex, twoIndexes } from '../helpers/pypi.js'
import { pythonEnv } from '../helpers/python.js'

/** A git repository holding `files`, with runts linked into node_modules and `run --init` done. */
async function initialized(files: Record<string, string>, template: string): Promise<GitRepo> {
  const p = new GitRepo(files, { commit: false })
  try {
    mkdirSync(path.join(p.dir, 'node_modules'))
    symlinkSync(repo, path.join(p.dir, 'node_modules', 'runts'))
    const init = await runIn(p, ['--init'])
    expect(init.stdout).toContain(`the ${template} template`)
    return p
  } catch (error) {
    p.remove()
    throw error
  }
}

function runIn(p: GitRepo, args: string[]) {
  return runProcess(process.execPath, [cli, ...args], { cwd: p.dir })
}

const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr

const dotenv = (vars: Record<string, string>) =>
  `${Object.entries(vars)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('')}`

describe('the npm template against real registries', () => {
  let test: Registry
  let prod: Registry
  let p: GitRepo
  const run = (args: string[]) => runIn(p, args)
  const versions = async (registry: Registry) => {
    const view = await runProcess('npm', ['view', 'runts-sample-package', 'versions', '--json', '--registry', registry.url], { cwd: p.dir })
    return view.code === 0 ? ([] as string[]).concat(JSON.parse(view.stdout)) : []
  }

  beforeAll(async () => {
    ;[test, prod] = await Promise.all([startRegistry(), startRegistry()])
    // The common layout: a build into dist/, which is what the package ships.
    const manifest = {
      name: 'runts-sample-package',
      version: '1.0.0',
      main: 'dist/index.js',
      files: ['dist'],
      scripts: { build: 'mkdir -p dist && cp index.js dist/index.js' },
    }
    p = await initialized({ 'package.json': JSON.stringify(manifest, null, 2), 'index.js': 'export const answer = 42\n' }, 'npm')
    expect(readFileSync(path.join(p.dir, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['dist/', 'dist-pack/']))
    p.write({ '.env': dotenv({ TEST_REGISTRY: test.url, TEST_NPM_TOKEN: test.token }) })
    p.commit('first').tag('v1.0.0')
  })
  afterAll(async () => {
    await Promise.all([test?.stop(), prod?.stop()])
    p?.remove()
  })

  it('publishes this version only, with the token from .env, and never prints it', async () => {
    mkdirSync(path.join(p.dir, 'dist-pack'))
    writeFileSync(path.join(p.dir, 'dist-pack', 'runts-sample-package-0.9.0.tgz'), 'an older build')
    const r = await run(['release:test'])
    expect(r.stderr).toContain('6 tasks done')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`published runts-sample-package@1.0.0 to ${test.url}`)
    expect(output(r)).not.toContain(test.token)
    expect(await versions(test)).toEqual(['1.0.0'])
    expect(published(test, 'runts-sample-package@1.0.0')).toEqual(['dist/index.js', 'package.json'])
  })

  it('publish:test on its own refuses a version the test registry has, before anything runs', async () => {
    const r = await run(['publish:test'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`publish:test: runts-sample-package@1.0.0 is already on ${test.url}, which never accepts a version twice`)
    expect(r.stderr).toContain('bump the version in package.json')
    expect(r.stderr).not.toContain('start build')
  })

  it('publish:prod refuses an untagged HEAD, and asks a question naming package, version and registry', async () => {
    p.write({
      '.env': dotenv({ TEST_REGISTRY: test.url, TEST_NPM_TOKEN: test.token, PROD_REGISTRY: prod.url, PROD_NPM_TOKEN: prod.token }),
    })
    p.commit('after the tag')
    const untagged = await run(['--yes', 'publish:prod'])
    expect(untagged.code).toBe(2)
    expect(untagged.stderr).toContain('HEAD is not the commit tagged v1.0.0')
    p.git('reset', '-q', '--hard', 'v1.0.0')
    const dry = await run(['--dry-run', 'publish:prod'])
    expect(dry.stderr).toContain(`a real run asks first: Publish runts-sample-package@1.0.0 to ${prod.url}?`)
  })

  it('release:prod after release:test promotes: not published to the test registry again, then to prod; prod refuses it twice', async () => {
    const r = await run(['--yes', 'release:prod'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toContain(
      `runts-sample-package@1.0.0 is already on ${test.url} (same integrity): not published again, checking that it installs`,
    )
    expect(r.stdout).toContain(`published runts-sample-package@1.0.0 to ${prod.url}`)
    expect(await versions(prod)).toEqual(['1.0.0'])
    expect(output(r)).not.toContain(prod.token)
    const again = await run(['--yes', 'release:prod'])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain(`publish:prod: runts-sample-package@1.0.0 is already on ${prod.url}`)
    expect(again.stderr).not.toContain('start ')
  })

  it('release:prod again once production has the tested tarball (a run killed after that upload) says it is released and what is left, not to bump the version', async () => {
    const again = await run(['--yes', 'release:prod'])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(
      new RegExp(
        `publish:prod: runts-sample-package@1\\.0\\.0 is already on ${prod.url.replaceAll('.', '\\.')} with the very tarball the test registry holds \\(integrity sha512-[^)]+\\): it is released\\. ` +
          'Nothing is left to publish: run publish:github if its GitHub release is missing; bump the version for a new release',
      ),
    )
    expect(again.stderr).not.toContain('then build again')
  })

  it('packs outside dist/: the next version carries no older tarball, and lint does not run again after a build', async () => {
    p.write({ 'package.json': readFileSync(path.join(p.dir, 'package.json'), 'utf8').replace('"1.0.0"', '"1.0.1"') }).commit('1.0.1')
    expect((await run(['lint'])).code).toBe(0)
    const r = await run(['publish:test'])
    expect(r.code, output(r)).toBe(0)
    expect(published(test, 'runts-sample-package@1.0.1')).toEqual(['dist/index.js', 'package.json'])
    expect(readdirSync(path.join(p.dir, 'dist'))).toEqual(['index.js'])
    expect(readdirSync(path.join(p.dir, 'dist-pack'))).toEqual(
      expect.arrayContaining(['runts-sample-package-1.0.0.tgz', 'runts-sample-package-1.0.1.tgz']),
    )
    const why = await run(['--why', 'lint'])
    expect(why.stdout).toMatch(/^lint +skips: up to date$/m)
  })

  it("refuses to publish a tarball that carries runts' own files (no `files`), naming them and the fix; publishes once `files` is set", async () => {
    const bare = await initialized(
      { 'package.json': JSON.stringify({ name: 'runts-sample-bare', version: '1.0.0' }), 'index.js': 'export {}\n' },
      'npm',
    )
    try {
      bare.write({ '.env': dotenv({ TEST_REGISTRY: test.url, TEST_NPM_TOKEN: test.token }) }).commit('first')
      const r = await runIn(bare, ['publish:test'])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(
        "runts-sample-bare-1.0.0.tgz carries files that are not the package's: .env.example, tasks.config.ts; nothing was published.",
      )
      expect(r.stderr).toContain('Name what the package ships in package.json\'s "files"')
      expect(r.stdout).not.toContain('published')
      const view = await runProcess('npm', ['view', 'runts-sample-bare', 'version', '--registry', test.url], { cwd: bare.dir })
      expect(view.code).not.toBe(0)
      bare.write({ 'package.json': JSON.stringify({ name: 'runts-sample-bare', version: '1.0.0', files: ['index.js'] }) }).commit('files')
      const fixed = await runIn(bare, ['publish:test'])
      expect(fixed.code, output(fixed)).toBe(0)
      expect(published(test, 'runts-sample-bare@1.0.0')).toEqual(['index.js', 'package.json'])
    } finally {
      bare.remove()
    }
  })

  it('reports a missing token before clean deletes anything', async () => {
    p.write({ '.env': dotenv({ TEST_REGISTRY: test.url }), 'dist/keep.txt': 'still here' })
    const r = await run(['release:test'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('TEST_NPM_TOKEN  (needed by publish:test)')
    expect(readdirSync(path.join(p.dir, 'dist'))).toContain('keep.txt')
  })
})

describe('the python template against real indexes', () => {
  let test: PackageIndex
  let prod: PackageIndex
  let p: GitRepo
  const run = (args: string[]) => runIn(p, args)
  const files = ['runts_sample-0.1.0-py3-none-any.whl', 'runts_sample-0.1.0.tar.gz']

  beforeAll(async () => {
    const { python } = await pythonEnv()
    ;[test, prod] = await Promise.all([startPackageIndex(), startPackageIndex()])
    p = await initialized(
      {
        'pyproject.toml': `${pyproject('runts-sample', '0.1.0')}readme = "README.md"\n\n[project.optional-dependencies]\ndev = []\n`,
        'README.md': '# runts-sample\n',
        'src/runts_sample/__init__.py': '__version__ = "0.1.0"\n',
        // Built without isolation, beside setuptools-scm (in the test env), whose file finder packs every file git tracks.
        'MANIFEST.in': 'exclude .env.example tasks.config.ts\n',
      },
      'python',
    )
    p.write({
      '.env': dotenv({
        PYTHON: python,
        PYTHON_BUILD_ARGS: '--no-isolation',
        ...twoIndexes(test, prod),
      }),
    })
    p.commit('first').tag('v0.1.0')
  }, 300_000)
  afterAll(async () => {
    await Promise.all([test?.stop(), prod?.stop()])
    p?.remove()
  })

  it('builds an sdist and a wheel that pass twine check', async () => {
    const r = await run(['check'])
    expect(r.stderr).toContain('2 tasks done')
    expect(r.code).toBe(0)
    expect(readdirSync(path.join(p.dir, 'dist')).sort()).toEqual(files)
    expect(r.stdout.match(/PASSED/g)).toHaveLength(2)
  }, 120_000)

  it('uploads with twine as __token__ with the tokens from .env, to the test index and then to the prod index', async () => {
    const testRun = await run(['publish:test'])
    expect(testRun.code, output(testRun)).toBe(0)
    expect(readdirSync(test.packages).sort()).toEqual(files)
    const prodRun = await run(['--yes', 'publish:prod'])
    expect(prodRun.code, output(prodRun)).toBe(0)
    expect(readdirSync(prod.packages).sort()).toEqual(files)
    expect(output(testRun) + output(prodRun)).not.toContain(test.token)
    expect(output(testRun) + output(prodRun)).not.toContain(prod.token)
  }, 300_000)
})
