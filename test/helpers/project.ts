/**
 * A throwaway project: files written into a temp folder whose node_modules
 * links `runts` to this repository, and the built CLI run in it as a user
 * would, with stdout, stderr and exit code captured.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repo = fileURLToPath(new URL('../..', import.meta.url))
export const cli = path.join(repo, 'dist', 'cli.js')

export interface Result {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  cwd?: string
  env?: Record<string, string | undefined>
  input?: string
  /** Called once the process has started, e.g. to signal it. */
  onStart?: (child: ChildProcess) => void
}

export class Project {
  readonly dir: string

  constructor(files: Record<string, string> = {}) {
    this.dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-test-')))
    mkdirSync(path.join(this.dir, 'node_modules'))
    symlinkSync(repo, path.join(this.dir, 'node_modules', 'runts'))
    this.write(files)
  }

  write(files: Record<string, string>): this {
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(this.dir, name)
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(file, text)
    }
    return this
  }

  run(args: string[], options: RunOptions = {}): Promise<Result> {
    return runProcess(process.execPath, [cli, ...args], { ...options, cwd: options.cwd ?? this.dir })
  }
}

export function runProcess(command: string, args: string[], options: RunOptions & { cwd: string }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env }
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]
    const child = spawn(command, args, { cwd: options.cwd, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    // A child that exits before reading its input closes the pipe: not an error of the test.
    child.stdin.on('error', () => {})
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
    child.stdin.end(options.input ?? '')
    options.onStart?.(child)
  })
}
