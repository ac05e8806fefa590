// The two builds that bench/startup-ab.mjs and bench/startup-cpu-ab.mjs compare: this checkout, and an
// earlier commit checked out in a temp worktree and built there (with this checkout's packages: a build
// needs only esbuild and typescript). Each gets a project whose tasks file has `noop` and `t` (a task
// running the shell command `true`). The worktree and the temp folder go when the process exits.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('..', import.meta.url))
const TASKS = "import { task, $ } from 'runts'\nexport const noop = task(() => {})\nexport const t = task(() => $`true`)\n"

/** `{ dir, commit, builds: { old, new }, tasksFile(name) }` for `ref` against this checkout. */
export function abBuilds(ref, prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  const git = (...args) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  process.on('exit', () => {
    try {
      git('worktree', 'remove', '--force', path.join(dir, 'old'))
    } catch {}
    rmSync(dir, { recursive: true, force: true })
  })
  const commit = git('rev-parse', '--short', ref).trim()
  console.error(`building ${ref} (${commit}) in ${dir}/old`)
  git('worktree', 'add', '--detach', path.join(dir, 'old'), commit)
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'old', 'node_modules'))
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: path.join(dir, 'old'), stdio: ['ignore', 'ignore', 'inherit'] })
  const builds = { old: path.join(dir, 'old'), new: repo }
  const tasksFile = (name) => path.join(dir, name, 'project', 'tasks.config.ts')
  for (const [name, build] of Object.entries(builds)) {
    mkdirSync(path.join(dir, name, 'project', 'node_modules'), { recursive: true })
    symlinkSync(build, path.join(dir, name, 'project', 'node_modules', 'runts'))
    writeFileSync(tasksFile(name), TASKS)
  }
  return { dir, commit, builds, tasksFile }
}
