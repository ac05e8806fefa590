/**
 * The shared cache through the CLI, against the real turborepo-remote-cache
 * server on 127.0.0.1: one clone builds and uploads, a fresh clone restores
 * without running. A server that is down, slow, refuses the token, sends a
 * damaged artifact or one signed with another key never fails the run: the
 * task runs, one warning says why, and the token is never printed.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer, type Socket } from 'node:net'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CachedProject } from '../helpers/cached-project.js'
import { type CacheServer, freePort, startCacheServer } from '../helpers/remote-cache-server.js'

/**
 * Two cached tasks, so that "warns once" means once for the run, not once per task. build prints a
 * secret it does not name in \`env\` (so it is not in its key, and it is shared without a signing key).
 */
const TASKS = `
import { task, $, env } from 'runts'
export const lint = task({ inputs: ['src/**'], run: () => $\`echo lint >> runs.log; echo linted\` })
export const build = task({
  deps: [lint],
  inputs: ['src/**'],
  outputs: ['dist/**'],
  run: async () => {
    await $\`echo build >> runs.log; mkdir -p dist && cat src/app.py > dist/app.txt\`
    console.log('built with', env.APP_TOKEN)
  },
})
`
const FILES = { 'tasks.config.ts': TASKS, '.env': 'APP_TOKEN=app-secret-value-123\n', 'src/app.py': 'print("shared")\n' }

let plain: CacheServer
let signing: CacheServer
beforeAll(async () => {
  ;[plain, signing] = await Promise.all([startCacheServer(), startCacheServer({ signatures: true })])
})
afterAll(async () => {
  await Promise.all([plain?.stop(), signing?.stop()])
})
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const clean of cleanups.splice(0)) await clean()
})

/** A fresh clone of the project, with no cache of its own, set up for a shared cache. */
function clone(remote: Record<string, string>): CachedProject {
  const p = new CachedProject(FILES)
  p.env = { ...remote, RUNTS_TEST_CLONE: p.dir }
  cleanups.push(() => p.remove())
  return p
}

function settings(server: { url: string; token?: string }, more: Record<string, string> = {}) {
  return {
    RUNTS_REMOTE_CACHE_URL: server.url,
    RUNTS_REMOTE_CACHE_TOKEN: server.token ?? 'no-token',
    RUNTS_REMOTE_CACHE_TEAM: 'acme',
    ...more,
  }
}

/** Runs build, which must succeed, and checks that no token or key was printed. */
async function build(p: CachedProject, ...hidden: string[]) {
  const r = await p.run(['build'])
  expect(r.code, r.stderr).toBe(0)
  for (const value of [...hidden, 'app-secret-value-123']) expect(r.stdout + r.stderr).not.toContain(value)
  return { ...r, warnings: r.stderr.split('\n').filter((line) => line.startsWith('warning:')) }
}

function artifacts(server: CacheServer): string[] {
  return readdirSync(server.storage, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.tag'))
    .map((e) => path.join(e.parentPath, e.name))
}

describe('the shared cache, through the CLI', () => {
  it('restores in a fresh clone what another clone built and uploaded, without running it', async () => {
    const before = artifacts(plain).length
    const a = clone(settings(plain))
    const built = await build(a, plain.token)
    expect(built.warnings).toEqual([])
    expect(a.runs()).toBe(2)
    expect(artifacts(plain).length).toBe(before + 2)
    // What went to the server holds what the task printed masked, never the secret itself.
    const uploaded = artifacts(plain).map((file) => gunzipSync(readFileSync(file)).toString('latin1'))
    expect(uploaded.some((text) => text.includes('built with ***'))).toBe(true)
    expect(uploaded.filter((text) => text.includes('app-secret-value-123'))).toEqual([])
    const b = clone(settings(plain))
    const restored = await build(b, plain.token)
    expect(restored.warnings).toEqual([])
    expect(b.runs()).toBe(0)
    expect(b.read('dist/app.txt')).toBe('print("shared")\n')
    expect(restored.stdout).toBe(built.stdout)
    expect(restored.stdout).toBe('linted\nbuilt with ***\n')
    expect(restored.stderr).toMatch(/2 tasks done \(1 up to date, 1 restored\)/)
  })

  it('takes its settings from .env too, and never prints the token', async () => {
    const a = clone({})
    a.write({
      '.env': `${FILES['.env']}RUNTS_REMOTE_CACHE_URL=${plain.url}\nRUNTS_REMOTE_CACHE_TOKEN=${plain.token}\nRUNTS_REMOTE_CACHE_TEAM=dotenv\n`,
    })
    a.write({ 'src/app.py': 'print("from .env")\n' })
    expect((await build(a, plain.token)).warnings).toEqual([])
    expect(artifacts(plain).some((f) => f.includes(`${path.sep}dotenv${path.sep}`))).toBe(true)
  })

  it('runs the task and warns once when the server is down', async () => {
    const url = `http://127.0.0.1:${await freePort()}`
    const p = clone(settings({ url, token: 'down-token-value' }))
    const r = await build(p, 'down-token-value')
    expect(p.runs()).toBe(2)
    expect(r.warnings).toEqual([`warning: remote cache ${url} cannot be reached (ECONNREFUSED); tasks run without it`])
  })

  it('runs the task and warns once when the server refuses the token', async () => {
    const p = clone(settings(plain, { RUNTS_REMOTE_CACHE_TOKEN: 'wrong-token-value' }))
    const r = await build(p, 'wrong-token-value', plain.token)
    expect(p.runs()).toBe(2)
    expect(r.warnings).toHaveLength(1)
    expect(r.warnings[0]).toMatch(
      /refused the token \(HTTP 401\); check RUNTS_REMOTE_CACHE_TOKEN and RUNTS_REMOTE_CACHE_TEAM; tasks run without it/,
    )
  })

  it('runs the task and warns once when the artifacts it gets are damaged', async () => {
    const server = await startCacheServer()
    cleanups.push(() => server.stop())
    await build(clone(settings(server)), server.token)
    const stored = artifacts(server)
    expect(stored).toHaveLength(2)
    for (const file of stored) {
      const bytes = readFileSync(file)
      for (let i = 40; i < bytes.length - 20; i += 31) bytes[i] = bytes[i]! ^ 0xff
      writeFileSync(file, bytes)
    }
    const b = clone(settings(server))
    const r = await build(b, server.token)
    expect(b.runs()).toBe(2)
    expect(r.warnings).toHaveLength(1)
    expect(r.warnings[0]).toMatch(
      /remote cache http:\/\/127\.0\.0\.1:\d+ sent an artifact for lint that was refused whole \(.*\); the task runs/,
    )
  })

  it('never restores an artifact whose signature does not verify', async () => {
    const signed = settings(signing, { RUNTS_REMOTE_CACHE_TEAM: 'team_runts', RUNTS_REMOTE_CACHE_SIGNATURE_KEY: 'signing-key-one' })
    expect((await build(clone(signed), signing.token, 'signing-key-one')).warnings).toEqual([])
    const b = clone({ ...signed, RUNTS_REMOTE_CACHE_SIGNATURE_KEY: 'signing-key-two' })
    const r = await build(b, signing.token, 'signing-key-two')
    expect(b.runs()).toBe(2)
    expect(r.warnings).toHaveLength(1)
    expect(r.warnings[0]).toMatch(/sent an artifact for lint, but its signature does not verify, so it was not used; the task runs/)
    const c = clone(signed)
    const good = await build(c, signing.token, 'signing-key-one')
    expect([c.runs(), good.warnings]).toEqual([0, []])
  })
})

describe('a slow shared cache', () => {
  it('is given up on when it never answers: the run ends in bounded time', async () => {
    const sockets: Socket[] = []
    const silent = createServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => {
      for (const s of sockets) s.destroy()
      return new Promise((resolve) => silent.close(resolve))
    })
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`
    // The default wait (5 s) once, then not asked again; a shorter one when set.
    for (const [timeout, shown, bound] of [[undefined, '5', 15_000] as const, ['0.5', '0.5', 6_000] as const]) {
      const p = clone(settings({ url, token: 'slow-token-value' }, timeout ? { RUNTS_REMOTE_CACHE_TIMEOUT: timeout } : {}))
      const started = Date.now()
      const r = await build(p, 'slow-token-value')
      expect(Date.now() - started).toBeLessThan(bound)
      expect(p.runs()).toBe(2)
      expect(r.warnings).toEqual([`warning: remote cache ${url} did not answer within ${shown} s; tasks run without it`])
    }
    expect(sockets.length).toBeGreaterThan(0)
  }, 60_000)

  it('is given up on when it accepts reads but never finishes an upload', async () => {
    const server = createHttpServer((req, res) => {
      if (req.method !== 'PUT') return void res.writeHead(404).end()
      req.resume() // reads the body, never answers
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise((resolve) => server.close(resolve)))
    cleanups.push(() => server.closeAllConnections())
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    const p = clone(settings({ url }, { RUNTS_REMOTE_CACHE_TIMEOUT: '0.5' }))
    const started = Date.now()
    const r = await build(p)
    expect(Date.now() - started).toBeLessThan(8_000)
    expect(p.runs()).toBe(2)
    expect(r.warnings).toEqual([`warning: remote cache ${url} did not answer within 0.5 s; lint's outputs were not uploaded`])
  })
})
