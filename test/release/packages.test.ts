/**
 * What a release's files hold, read from the files themselves: the modules a wheel installs (built
 * with hatchling and setuptools from the Python test env), and an npm tarball's paths and entry
 * points (packed with npm).
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { foreignFiles, missingEntryPoints, onlyMetadata, readTarball } from '../../src/release/npm-tarball.js'
import { compareFiles, describeConflicts } from '../../src/release/release-files.js'
import { topLevelModules, wheelModules } from '../../src/release/wheel.js'
import { GitRepo, pyproject } from '../helpers/git-repo.js'
import { exec, pythonEnv } from '../helpers/python.js'

describe('the modules of a wheel', () => {
  it('are its top_level.txt when there is one, else its top-level packages and modules, never its metadata', () => {
    expect(topLevelModules(['a/__init__.py', 'x-1.0.dist-info/RECORD'], 'pycounts\n_speedups\n\n')).toEqual(['_speedups', 'pycounts'])
    expect(
      topLevelModules([
        'pycounts/__init__.py',
        'pycounts/data/words.txt',
        'six.py',
        '_native.cpython-312-x86_64-linux-gnu.so',
        'ns/sub/mod.py',
        'docs/readme.txt',
        'pycounts_trial-0.1.0.dist-info/METADATA',
        'pycounts_trial-0.1.0.data/scripts/tool',
        'not-an-identifier/x.py',
        'x.pth',
      ]),
    ).toEqual(['_native', 'ns', 'pycounts', 'six'])
  })

  let hatch: GitRepo
  let setuptools: GitRepo
  beforeAll(async () => {
    const { python } = await pythonEnv()
    hatch = new GitRepo({
      'pyproject.toml': `${pyproject('pycounts-trial', '0.1.0', 'hatchling')}\n[tool.hatch.build.targets.wheel]\npackages = ["src/pycounts"]\n`,
      'src/pycounts/__init__.py': '',
    })
    setuptools = new GitRepo({ 'pyproject.toml': pyproject('two-mods', '1.0.0'), 'src/alpha/__init__.py': '', 'src/beta.py': '' })
    await Promise.all(
      [hatch, setuptools].map((p) => exec(python, ['-m', 'build', '--no-isolation', '--wheel', '--outdir', 'dist'], { cwd: p.dir })),
    )
  }, 120_000)
  afterAll(() => {
    hatch?.remove()
    setuptools?.remove()
  })

  it('are read from the built wheel: hatchling writes no top_level.txt, setuptools does', async () => {
    const { python } = await pythonEnv()
    expect(await wheelModules(python, path.join(hatch.dir, 'dist', 'pycounts_trial-0.1.0-py3-none-any.whl'))).toEqual(['pycounts'])
    expect(await wheelModules(python, path.join(setuptools.dir, 'dist', 'two_mods-1.0.0-py3-none-any.whl'))).toEqual(['alpha', 'beta'])
    await expect(wheelModules(python, path.join(hatch.dir, 'pyproject.toml'))).rejects.toThrow(/could not read the wheel .*pyproject\.toml/)
  })
})

describe('an npm tarball', () => {
  it("names what is not the package's, at any depth: .env files, runts' files, older tarballs of the package", () => {
    const files = [
      'package.json',
      'dist/index.js',
      'config/.env',
      'config/.env.production',
      '.env.example',
      'dist/.envrc',
      'dist/tasks.config.js',
      'dist/tasks.config.d.ts',
      'tasks.config.ts',
      'deep/.github/workflows/runts.yml',
      'dist-pack/my-lib-0.9.0.tgz',
      'fixtures/other-1.0.0.tgz',
      'docs/environment.md',
      'src/env.ts',
    ]
    expect(foreignFiles(files, 'my-lib')).toEqual([
      'config/.env',
      'config/.env.production',
      '.env.example',
      'dist/.envrc',
      'dist/tasks.config.js',
      'dist/tasks.config.d.ts',
      'tasks.config.ts',
      'deep/.github/workflows/runts.yml',
      'dist-pack/my-lib-0.9.0.tgz',
    ])
    expect(foreignFiles(['scope-lib-1.0.0.tgz'], '@scope/lib')).toEqual(['scope-lib-1.0.0.tgz'])
  })

  it('names each entry point package.json declares that it lacks: main (as require finds it), types, bin, every exports target', () => {
    const files = ['package.json', 'lib/index.js', 'lib/util/index.js', 'types/index.d.ts', 'cli.js', 'esm/a.mjs', 'esm/features/x.mjs']
    expect(
      missingEntryPoints(files, {
        main: './lib/index',
        types: 'types/index.d.ts',
        bin: { one: 'cli.js', two: './bin/two.js' },
        exports: {
          '.': { import: './esm/a.mjs', require: ['./lib/index.js', './cjs/index.cjs'] },
          './features/*': './esm/features/*.mjs',
          './missing/*': './nowhere/*.js',
          './package.json': './package.json',
          './internal/*': null,
        },
      }),
    ).toEqual(['bin two: ./bin/two.js', 'exports .: ./cjs/index.cjs', 'exports ./missing/*: ./nowhere/*.js'])
    expect(missingEntryPoints(files, { main: 'lib/util' })).toEqual([])
    expect(missingEntryPoints(['package.json', 'index.js'], { main: '.' })).toEqual([])
    expect(missingEntryPoints(['package.json', 'index.js'], { main: './' })).toEqual([])
    expect(missingEntryPoints(['package.json'], { main: '.' })).toEqual(['main: .'])
    expect(missingEntryPoints(['package.json'], { name: 'x', bin: './x.js' })).toEqual(['bin: ./x.js'])
    expect(missingEntryPoints(['package.json'], { exports: { import: './dist/index.js' } })).toEqual(['exports .: ./dist/index.js'])
    expect(onlyMetadata(['package.json', 'README.md', 'LICENSE'])).toBe(true)
    expect(onlyMetadata(['package.json', 'index.js'])).toBe(false)
  })

  it('is read with its package.json from what npm pack wrote', async () => {
    const p = new GitRepo({
      'package.json': JSON.stringify({ name: 'rd-read', version: '1.0.0', files: ['dist'] }),
      'dist/index.js': 'export {}\n',
      'dist/a/very/deep/folder/that/makes/a/path/longer/than/one/hundred/characters/for/the/ustar/header/file.js': '\n',
    })
    try {
      execFileSync('npm', ['pack', '--silent'], { cwd: p.dir, stdio: 'ignore' })
      const { files, manifest } = await readTarball(path.join(p.dir, 'rd-read-1.0.0.tgz'))
      expect(manifest).toMatchObject({ name: 'rd-read', version: '1.0.0' })
      expect(files).toEqual([
        'dist/a/very/deep/folder/that/makes/a/path/longer/than/one/hundred/characters/for/the/ustar/header/file.js',
        'dist/index.js',
        'package.json',
      ])
    } finally {
      p.remove()
    }
  })
})

describe('a release against what an index lists', () => {
  it('counts a file as there only with the same name and digest; another digest is a conflict naming both', () => {
    const ours = [
      { filename: 'a.whl', path: '/d/a.whl', digest: 'AA'.repeat(32) },
      { filename: 'a.tar.gz', path: '/d/a.tar.gz', digest: 'bb'.repeat(32) },
      { filename: 'a-2.whl', path: '/d/a-2.whl', digest: 'cc'.repeat(32) },
      { filename: 'a.zip', path: '/d/a.zip', digest: 'dd'.repeat(32) },
    ]
    const standing = compareFiles(ours, [
      { filename: 'a.whl', digest: 'aa'.repeat(32) },
      { filename: 'a.tar.gz', digest: 'ee'.repeat(32) },
      { filename: 'a.zip' },
    ])
    expect(standing.same.map((f) => f.filename)).toEqual(['a.whl'])
    expect(standing.missing.map((f) => f.filename)).toEqual(['a-2.whl'])
    expect(describeConflicts(standing.conflicts, 'https://x/simple/')).toBe(
      `a.tar.gz on https://x/simple/ has sha256 ${'ee'.repeat(32)}, this one has sha256 ${'bb'.repeat(32)}; ` +
        `a.zip is on https://x/simple/ without a sha256 to compare (this one's: ${'dd'.repeat(32)})`,
    )
  })
})
