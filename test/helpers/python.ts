/**
 * Python for tests: the test env (made once by scripts/python-env.mjs, a
 * no-op afterwards), fresh venvs, and a command runner that rejects with
 * what the command printed.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { ensurePythonEnv, type PythonEnv } from '../../scripts/python-env.mjs'

let env: Promise<PythonEnv> | undefined

/** The Python test env, made on first use (the first install takes about half a minute). */
export function pythonEnv(): Promise<PythonEnv> {
  env ??= ensurePythonEnv()
  return env
}

export interface ExecResult {
  stdout: string
  stderr: string
}

export interface ExecOptions {
  cwd?: string
  /** Added to the environment. */
  env?: Record<string, string>
}

/** Run a command; resolve with its output, reject with its exit code and output. */
export function exec(command: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0
        ? resolve({ stdout, stderr })
        : reject(new Error(`${path.basename(command)} ${args.join(' ')} exited with ${code}\n${stdout}\n${stderr}`)),
    )
  })
}

/**
 * A new, empty venv in `dir`; resolves to its python. It has no pip of its own
 * (ensurepip takes seconds): install into it with `pipInto`.
 */
export async function freshVenv(dir: string): Promise<string> {
  const { python } = await pythonEnv()
  await exec(python, ['-m', 'venv', '--without-pip', dir])
  return path.join(dir, process.platform === 'win32' ? 'Scripts' : 'bin', 'python')
}

/** `pip ARGS` for another environment's python, run by the test env's pip (`pip --python`). */
export async function pipInto(target: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const { python } = await pythonEnv()
  return exec(python, ['-m', 'pip', '--python', target, ...args], options)
}
