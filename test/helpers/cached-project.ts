/**
 * A throwaway project whose `build` task declares inputs and outputs, run
 * through the built CLI, for the cache's end-to-end tests: how many times a
 * task really ran (each run appends to `runs.log`, which no task reads), what
 * the local cache holds, and `run --why` as lines.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { Project, type Result, type RunOptions } from './project.js'

/** The secret in `.env`: it must never reach the terminal or the cache folder. */
export const SECRET = 'sk-live-do-not-store-4f9d2a'

/** `build` runs after `prepare` (no inputs: always runs), reads src/ and pyproject.toml, writes dist/. */
export const TASKS = `
import { task, $, env } from 'runts'

export const prepare = task({ run: () => $\`echo preparing\` })

export const build = task({
  description: 'Build the app',
  env: ['APP_TOKEN', 'PYTHON'],
  deps: [prepare],
  inputs: ['src/**', 'pyproject.toml'],
  outputs: ['dist/**'],
  run: async ({ args }) => {
    await $\`echo build >> runs.log\`
    await $\`mkdir -p dist/sub && cat src/app.py > dist/app.txt && echo wheel > dist/sub/app.whl\`
    console.log(\`built with \${env.APP_TOKEN} for python \${env.PYTHON}\${args.length ? ' ' + args.join(' ') : ''}\`)
    await $\`echo warnings: none >&2\`
  },
})
`

export const FILES = {
  'tasks.config.ts': TASKS,
  '.env': `APP_TOKEN=${SECRET}\n`,
  'src/app.py': 'print("hello")\n',
  'pyproject.toml': '[project]\nname = "app"\n',
}

/** The project's cache folder (the compiled tasks file and the task cache). */
export const CACHE_DIR = path.join('node_modules', '.cache', 'runts')

export class CachedProject extends Project {
  /** Environment every run gets (on top of the test's own). */
  env: Record<string, string | undefined> = { PYTHON: '3.12' }

  constructor(files: Record<string, string> = FILES) {
    super(files)
  }

  override run(args: string[], options: RunOptions = {}): Promise<Result> {
    return super.run(args, { ...options, env: { ...this.env, ...options.env } })
  }

  /** How many times a task really ran (lines it appended to runs.log). */
  runs(): number {
    try {
      return readFileSync(path.join(this.dir, 'runs.log'), 'utf8').split('\n').filter(Boolean).length
    } catch {
      return 0
    }
  }

  read(file: string): string {
    return readFileSync(path.join(this.dir, file), 'utf8')
  }

  /** The entries of the local store (folders, temporary ones included). */
  entries(): string[] {
    try {
      return readdirSync(path.join(this.dir, CACHE_DIR, 'tasks', 'entries'))
    } catch {
      return []
    }
  }

  /** `run --why ARGS` as lines; fails the test when it does not exit 0. */
  async why(args: string[], options: RunOptions = {}): Promise<string[]> {
    const r = await this.run(['--why', ...args], options)
    if (r.code !== 0) throw new Error(`run --why exited ${r.code}: ${r.stderr}`)
    return r.stdout.trimEnd().split('\n')
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}

/**
 * Every file under `dir` (at any depth) whose bytes hold `needle`, as paths relative to `dir`. A file
 * that goes while the walk runs (a temp file renamed into place by a process still running) is skipped.
 */
export function filesHolding(dir: string, needle: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    if (readIfThere(file)?.includes(needle)) out.push(path.relative(dir, file))
  }
  return out
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
