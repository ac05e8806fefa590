/**
 * Real git repositories in temp folders for the release checks, made with
 * the git on PATH, untouched by the user's own git configuration.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const gitEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.org',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.org',
}

export class GitRepo {
  readonly dir: string

  /** A new repository holding `files`, committed unless `commit` is false. */
  constructor(files: Record<string, string> = {}, { commit = true } = {}) {
    this.dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-git-')))
    this.git('init', '-q', '-b', 'main')
    this.write(files)
    if (commit) this.commit('first')
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  }

  write(files: Record<string, string>): this {
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(this.dir, name)
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(file, text)
    }
    return this
  }

  /** Stage everything and commit it. */
  commit(message: string): this {
    this.git('add', '-A')
    this.git('commit', '-q', '--allow-empty', '-m', message)
    return this
  }

  tag(name: string, annotated = false): this {
    if (annotated) this.git('tag', '-a', name, '-m', name)
    else this.git('tag', name)
    return this
  }

  head(): string {
    return this.git('rev-parse', 'HEAD').trim()
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}

/** A pyproject.toml for `name`; `version: undefined` makes it setuptools-scm style (`dynamic = ["version"]`). */
export function pyproject(name: string, version?: string, backend: 'hatchling' | 'setuptools' = 'setuptools'): string {
  const build =
    backend === 'hatchling'
      ? 'requires = ["hatchling"]\nbuild-backend = "hatchling.build"'
      : `requires = ["setuptools>=61"${version ? '' : ', "setuptools-scm>=8"'}]\nbuild-backend = "setuptools.build_meta"`
  const versionLine = version ? `version = "${version}"` : 'dynamic = ["version"]'
  const scm = version ? '' : '\n[tool.setuptools_scm]\n'
  return `[build-system]\n${build}\n\n[project]\nname = "${name}"\n${versionLine}\ndescription = "A test package"\nrequires-python = ">=3.8"\n${scm}`
}
