/**
 * A project for the python template as the README sets one up: runts linked in with the package.json
 * and lock that `npm i -D runts` leaves, the Python test env as the project's .venv, `run --init`, a .env
 * naming two real indexes (a test and a prod pypiserver) with their tokens; committed. `run` runs the
 * built CLI in it from a shell where the venv is not activated.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import { GitRepo } from './git-repo.js'
import { cli, type Result, repo, runProcess } from './project.js'
import type { PackageIndex } from './pypi.js'
import { twoIndexes } from './pypi.js'
import { pythonEnv } from './python.js'

export interface PythonProjectOptions {
  test: PackageIndex
  prod: PackageIndex
  /** Put first on PATH for every run (stand-ins that fail loudly, say). */
  pathFirst?: string
  /** More lines for .env, or values in place of the defaults; undefined leaves a line out. */
  env?: Record<string, string | undefined>
}

export class PythonProject {
  private constructor(
    readonly repo: GitRepo,
    private readonly options: PythonProjectOptions,
  ) {}

  get dir(): string {
    return this.repo.dir
  }

  /** The files, then `run --init`, a .env for both indexes; committed. */
  static async create(files: Record<string, string>, options: PythonProjectOptions): Promise<PythonProject> {
    const manifest = { 'package.json': '{\n  "devDependencies": {\n    "runts": "^1.0.0"\n  }\n}\n', 'package-lock.json': '{}\n' }
    const p = new GitRepo({ ...manifest, ...files }, { commit: false })
    // Removed here when the set-up fails: the suite's afterAll never sees it.
    try {
      mkdirSync(path.join(p.dir, 'node_modules'))
      symlinkSync(repo, path.join(p.dir, 'node_modules', 'runts'))
      symlinkSync((await pythonEnv()).dir, path.join(p.dir, '.venv'))
      const project = new PythonProject(p, options)
      const init = await project.run(['--init'])
      expect(init.stdout).toContain('the python template')
      project.writeEnv(options.env ?? {})
      p.commit('first')
      return project
    } catch (error) {
      p.remove()
      throw error
    }
  }

  /** Writes .env: both indexes and their tokens, `PYTHON=.venv/bin/python` (relative, as README step 2 has it), then `extra`. */
  writeEnv(extra: Record<string, string | undefined>): void {
    const { test, prod } = this.options
    const vars: Record<string, string | undefined> = {
      PYTHON: '.venv/bin/python',
      PYTHON_BUILD_ARGS: '--no-isolation',
      ...twoIndexes(test, prod),
      ...extra,
    }
    const lines = Object.entries(vars).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}\n`]))
    writeFileSync(path.join(this.dir, '.env'), lines.join(''))
  }

  read(file: string): string {
    return readFileSync(path.join(this.dir, file), 'utf8')
  }

  run(args: string[], env: Record<string, string | undefined> = {}): Promise<Result> {
    const PATH = this.options.pathFirst ? `${this.options.pathFirst}${path.delimiter}${process.env.PATH}` : process.env.PATH
    return runProcess(process.execPath, [cli, ...args], { cwd: this.dir, env: { PATH, ...env } })
  }

  remove(): void {
    this.repo.remove()
  }
}

export const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr

/** A hatchling package `name` whose module is `module` (the name in snake case unless given), with a test and a lint hook. */
export function hatchlingPackage(
  name: string,
  version: string,
  options: { module?: string; init?: string; extra?: Record<string, string> } = {},
) {
  const module = options.module ?? name.replaceAll('-', '_')
  return {
    'pyproject.toml': `[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "${name}"
version = "${version}"
requires-python = ">=3.8"

[tool.hatch.build.targets.wheel]
packages = ["src/${module}"]

[tool.hatch.build.targets.sdist]
exclude = ["/.env.example", "/package-lock.json", "/package.json", "/tasks.config.ts"]

[tool.pytest.ini_options]
pythonpath = ["src"]
`,
    [`src/${module}/__init__.py`]: options.init ?? 'answer = 42\n',
    'tests/test_answer.py': `from ${module} import answer\n\n\ndef test_answer():\n    assert answer == 42\n`,
    '.pre-commit-config.yaml':
      'repos:\n- repo: local\n  hooks:\n  - id: no-tabs\n    name: no tabs\n    entry: "\\t"\n    language: pygrep\n',
    ...options.extra,
  }
}
