/**
 * An npm registry for tests and for a dry-run release: verdaccio on
 * 127.0.0.1, storage in a temp folder, one user whose token is made over
 * verdaccio's HTTP API. `stop()` ends it and removes the folder.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

export interface Registry {
  /** `http://127.0.0.1:PORT/` */
  url: string
  /** A token for `user`, good for `npm publish`. */
  token: string
  user: string
  stop(): Promise<void>
}

export interface RegistryOptions {
  /** Packages served only from here: never looked up on npmjs (so a name taken there does not get in the way). */
  local?: string[]
  /** Proxy other packages to the public npm registry (for installing a published package's dependencies). */
  proxy?: boolean
}

const repo = fileURLToPath(new URL('..', import.meta.url))

/** A port found free may be taken by another test's server before verdaccio binds it: then another port. */
class PortTaken extends Error {}

export async function startRegistry(options: RegistryOptions = {}): Promise<Registry> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, await freePort())
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt === 3) throw error
    }
  }
}

async function startOnce(options: RegistryOptions, port: number): Promise<Registry> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-registry-'))
  const local = (options.local ?? []).map((name) => `  '${name}':\n    access: $all\n    publish: $authenticated\n`).join('')
  writeFileSync(
    path.join(dir, 'config.yaml'),
    `storage: ${path.join(dir, 'storage')}
auth:
  htpasswd:
    file: ${path.join(dir, 'htpasswd')}
    max_users: 10
${options.proxy ? 'uplinks:\n  npmjs:\n    url: https://registry.npmjs.org/\n' : 'uplinks: {}\n'}packages:
${local}  '**':
    access: $all
    publish: $authenticated
${options.proxy ? '    proxy: npmjs\n' : ''}log: { type: stdout, format: pretty, level: error }
`,
  )
  const bin = path.join(repo, 'node_modules', 'verdaccio', 'bin', 'verdaccio')
  const child = spawn(process.execPath, [bin, '--config', path.join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  })
  let log = ''
  child.stdout?.on('data', (d) => {
    log += d
  })
  child.stderr?.on('data', (d) => {
    log += d
  })
  const url = `http://127.0.0.1:${port}/`
  const stop = async () => {
    await exited(child)
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitForPing(url, child, () => log)
    const user = 'runts-release'
    const response = await fetch(`${url}-/user/org.couchdb.user:${user}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: user, password: `pw-${process.pid}-${Date.now()}` }),
    })
    const body = (await response.json().catch(() => ({}))) as { token?: string; error?: string }
    // The user is in this registry's own password file: the server that answered is this one, not another
    // test's that took the port between freePort() and this one binding it (which refuses the user, as it
    // has one of that name, or takes it into its own file).
    const passwords = path.join(dir, 'htpasswd')
    if (!existsSync(passwords) || !readFileSync(passwords, 'utf8').startsWith(`${user}:`)) {
      throw new PortTaken(
        `another server answered on ${url} (${response.status} ${body.error ?? ''}): the port was taken before verdaccio bound it\n${log}`,
      )
    }
    if (!response.ok || !body.token) throw new Error(`verdaccio did not create a user: ${response.status} ${body.error ?? ''}`)
    return { url, token: body.token, user, stop }
  } catch (error) {
    await stop()
    if (!(error instanceof PortTaken) && /EADDRINUSE|address already in use/i.test(log)) throw new PortTaken(log)
    throw error
  }
}

async function waitForPing(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with code ${child.exitCode}:\n${log()}`)
    try {
      if ((await fetch(`${url}-/ping`)).ok) return
    } catch {
      // not listening yet
    }
    await delay(100)
  }
  throw new Error(`verdaccio did not answer on ${url} within 30 s:\n${log()}`)
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}
