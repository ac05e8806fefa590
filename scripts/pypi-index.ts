/**
 * A real package index for tests and for a dry-run release (as scripts/registry.ts is for npm):
 * pypiserver from the Python test env on 127.0.0.1 (a free port), storage in a temp folder, uploads
 * behind a password file that passlib writes, with `__token__` and a random token as TestPyPI has
 * them. Several can run at once (a test and a prod index).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { promisify } from 'node:util'
import { ensurePythonEnv } from './python-env.mjs'
import { freePort } from './registry.ts'

export interface PackageIndex {
  /** Where twine uploads: `http://127.0.0.1:PORT/`. */
  uploadUrl: string
  /** Where pip installs from: `http://127.0.0.1:PORT/simple/`. */
  indexUrl: string
  /** The upload password; the user is `__token__`. */
  token: string
  /** The folder the uploaded files land in. */
  packages: string
  stop(): Promise<void>
}

export interface PackageIndexOptions {
  /** Redirect requests for projects it does not have to this index (pypiserver's fallback); off by default. */
  fallbackUrl?: string
  /** What needs the password, as pypiserver's `-a` takes it: `update` (uploads, as TestPyPI), or e.g. `list,download,update` for a private index. */
  authenticate?: string
}

export async function startPackageIndex(options: PackageIndexOptions = {}): Promise<PackageIndex> {
  const { python } = await ensurePythonEnv()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-pypi-'))
  const packages = path.join(dir, 'packages')
  mkdirSync(packages)
  const token = `pypi-${randomBytes(24).toString('base64url')}`
  const passwords = path.join(dir, 'htpasswd')
  // The token reaches passlib through its environment, never a command line.
  await promisify(execFile)(
    python,
    [
      '-c',
      'import os, sys\nfrom passlib.apache import HtpasswdFile\nh = HtpasswdFile(sys.argv[1], new=True)\nh.set_password("__token__", os.environ["INDEX_TOKEN"])\nh.save()',
      passwords,
    ],
    { env: { ...process.env, INDEX_TOKEN: token } },
  )
  const fallback = options.fallbackUrl ? ['--fallback-url', options.fallbackUrl] : ['--disable-fallback']
  // A file only this index holds: the server answering on the port is this one, not another test's that
  // took the port between freePort() and pypiserver binding it (pypiserver then exits, and the other answers).
  const marker = `runts_started_${randomBytes(6).toString('hex')}-0.tar.gz`
  try {
    // A port found free may be taken before pypiserver binds it: try another.
    for (let attempt = 1; ; attempt++) {
      writeFileSync(path.join(packages, marker), '')
      const port = await freePort()
      const auth = ['-a', options.authenticate ?? 'update', '-P', passwords]
      const args = ['-m', 'pypiserver', 'run', '-i', '127.0.0.1', '-p', String(port), ...auth, ...fallback, packages]
      const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      let log = ''
      child.stdout?.on('data', (d) => {
        log += d
      })
      child.stderr?.on('data', (d) => {
        log += d
      })
      const base = `http://127.0.0.1:${port}/`
      const answered = await answers(`${base}health`, child)
      const ours = answered && (await holds(`${base}packages/${marker}`, token))
      rmSync(path.join(packages, marker), { force: true })
      if (ours) {
        const stop = async () => {
          await ended(child)
          rmSync(dir, { recursive: true, force: true })
        }
        return { uploadUrl: base, indexUrl: `${base}simple/`, token, packages, stop }
      }
      await ended(child)
      const portTaken = /address already in use/i.test(log) || answered
      if (attempt === 3 || !portTaken) throw new Error(`pypiserver did not start on ${base}:\n${log}`)
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
}

/** Whether the server at `url` serves that file (with the token, for an index that wants it for downloads too). */
async function holds(url: string, token: string): Promise<boolean> {
  try {
    const auth = `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}`
    return (await fetch(url, { headers: { authorization: auth } })).ok
  } catch {
    return false
  }
}

/** Poll until the server answers 200 (true), or exits or stays silent for 30 s (false). */
async function answers(url: string, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false
    try {
      if ((await fetch(url)).ok) return true
    } catch {
      // not listening yet
    }
    await delay(50)
  }
  return false
}

function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
