/**
 * The shared cache against the real turborepo-remote-cache server: one clone
 * builds and uploads, a fresh clone restores without running; a server that
 * is down, refuses the token, sends a damaged or badly signed artifact, or
 * never answers, never fails a run: the task runs and one warning says why.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { task } from '../../src/api/task.js'
import { Cache } from '../../src/cache/cache.js'
import { buildGraph, type TaskNode } from '../../src/plan/graph.js'
import type { Opened, OutputChunk } from '../../src/run/gate.js'
import { type CacheServer, freePort, startCacheServer } from '../helpers/remote-cache-server.js'
import { Tree } from '../helpers/tree.js'

let plain: CacheServer
let signing: CacheServer
beforeAll(async () => {
  ;[plain, signing] = await Promise.all([startCacheServer(), startCacheServer({ signatures: true })])
})
afterAll(async () => {
  await Promise.all([plain?.stop(), signing?.stop()])
})

const trees: Tree[] = []
afterEach(() => {
  for (const t of trees.splice(0)) t.remove()
})

/** A clone of the same project: sources only, no cache of its own. */
function clone(): Tree {
  const t = new Tree({ 'src/app.py': 'print("hello")\n', 'pyproject.toml': '[project]\nname = "app"\n' })
  trees.push(t)
  return t
}

const build: TaskNode = buildGraph({
  build: task({ inputs: ['src/**', 'pyproject.toml'], outputs: ['dist/**'], run: () => {} }),
}).byName.get('build')!

function remote(server: CacheServer, more: Record<string, string> = {}) {
  return { RUNTS_REMOTE_CACHE_URL: server.url, RUNTS_REMOTE_CACHE_TOKEN: server.token, RUNTS_REMOTE_CACHE_TEAM: 'acme', ...more }
}

function cacheIn(t: Tree, env: Record<string, string>, remoteTimeoutMs?: number) {
  const warnings: string[] = []
  const cache = new Cache({ root: t.dir, env, warn: (m) => warnings.push(m), remoteTimeoutMs })
  return { cache, warnings }
}

/** Asks the gate as the runner would; a run writes dist/ and succeeds. */
async function perform(cache: Cache, t: Tree): Promise<Opened> {
  const opened = await cache.open(build, [])
  if (opened.action === 'run') {
    t.write({ 'dist/app-1.0.tar.gz': `sdist of ${readFileSync(t.path('src/app.py'), 'utf8')}` })
    await opened.finish({ ok: true, output: [{ stream: 'stdout', data: Buffer.from('Successfully built app\n') }] })
  }
  return opened
}

const replay = (o: Opened) => (o.action === 'skip' ? o.output.map((c: OutputChunk) => Buffer.from(c.data).toString()).join('') : '')

/** Clone A builds and uploads to the server. */
async function uploadFromA(env: Record<string, string>): Promise<void> {
  const a = clone()
  const { cache, warnings } = cacheIn(a, env)
  expect((await perform(cache, a)).action).toBe('run')
  await cache.flush()
  expect(warnings).toEqual([])
}

function storedArtifacts(server: CacheServer): string[] {
  return readdirSync(server.storage, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
}

describe('shared cache, real turborepo-remote-cache server', () => {
  it('restores in a fresh clone what another clone built, without running it', async () => {
    await uploadFromA(remote(plain))
    expect(storedArtifacts(plain).some((f) => f.includes(`${path.sep}acme${path.sep}`))).toBe(true)
    const b = clone()
    const { cache, warnings } = cacheIn(b, remote(plain))
    const opened = await perform(cache, b)
    expect(opened).toMatchObject({ action: 'skip', status: 'restored' })
    expect(replay(opened)).toBe('Successfully built app\n')
    expect(readFileSync(b.path('dist/app-1.0.tar.gz'), 'utf8')).toBe('sdist of print("hello")\n')
    expect(warnings).toEqual([])
    // Now in B's own store: up to date with the server gone.
    expect(await perform(cacheIn(b, {}).cache, b)).toMatchObject({ action: 'skip', status: 'up-to-date' })
  })

  it('runs the task and warns once when the server is down', async () => {
    const t = clone()
    const down = `http://127.0.0.1:${await freePort()}`
    const { cache, warnings } = cacheIn(t, { RUNTS_REMOTE_CACHE_URL: down, RUNTS_REMOTE_CACHE_TOKEN: 'tok-not-to-print' })
    expect((await perform(cache, t)).action).toBe('run')
    const other = buildGraph({ lint: task({ inputs: ['src/**'], run: () => {} }) }).byName.get('lint')!
    expect((await cache.open(other, [])).action).toBe('run')
    await cache.flush()
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(down)
    expect(warnings[0]).toMatch(/cannot be reached \(ECONNREFUSED\)/)
    expect(warnings[0]).not.toContain('tok-not-to-print')
  })

  it('runs the task and warns once when the server refuses the token', async () => {
    const t = clone()
    const { cache, warnings } = cacheIn(t, remote(plain, { RUNTS_REMOTE_CACHE_TOKEN: 'wrong-token-value' }))
    expect((await perform(cache, t)).action).toBe('run')
    await cache.flush()
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/refused the token \(HTTP 401\)/)
    expect(warnings[0]).not.toContain('wrong-token-value')
  })

  it('runs the task and warns when the stored artifact is damaged', async () => {
    const t = clone()
    t.write({ 'src/app.py': 'print("damaged")\n' })
    const before = new Set(storedArtifacts(plain))
    const { cache: a } = cacheIn(t, remote(plain))
    await perform(a, t)
    await a.flush()
    const [artifact] = storedArtifacts(plain).filter((f) => !before.has(f))
    if (!artifact) throw new Error('nothing was uploaded')
    const bytes = readFileSync(artifact)
    for (let i = 100; i < bytes.length - 20; i += 97) bytes[i] = bytes[i]! ^ 0xff
    writeFileSync(artifact, bytes)
    const b = clone()
    b.write({ 'src/app.py': 'print("damaged")\n' })
    const { cache, warnings } = cacheIn(b, remote(plain))
    expect((await perform(cache, b)).action).toBe('run')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/sent an artifact for build that was refused whole \(/)
    expect(statSync(artifact).size).toBe(bytes.length)
  })

  it('never restores an artifact whose signature does not verify', async () => {
    const signed = remote(signing, { RUNTS_REMOTE_CACHE_TEAM: 'team_runts', RUNTS_REMOTE_CACHE_SIGNATURE_KEY: 'key-one' })
    await uploadFromA(signed)
    const tags = storedArtifacts(signing).filter((f) => f.endsWith('.tag'))
    expect(tags).toHaveLength(1)
    expect(tags[0]).toContain(`${path.sep}team_runts${path.sep}`)
    const tag = readFileSync(tags[0]!, 'utf8')
    const b = clone()
    const other = cacheIn(b, { ...signed, RUNTS_REMOTE_CACHE_SIGNATURE_KEY: 'key-two' })
    expect((await perform(other.cache, b)).action).toBe('run')
    await other.cache.flush()
    expect(other.warnings).toHaveLength(1)
    expect(other.warnings[0]).toMatch(/its signature does not verify, so it was not used; the task runs/)
    expect(other.warnings[0]).not.toContain('key-')
    // B did not replace the artifact with one signed with its own key.
    expect(readFileSync(tags[0]!, 'utf8')).toBe(tag)
    // With the right key, the same artifact restores.
    const c = clone()
    const same = cacheIn(c, signed)
    expect(await perform(same.cache, c)).toMatchObject({ action: 'skip', status: 'restored' })
    expect(same.warnings).toEqual([])
  })

  it('names the likely cause when a server dropped the signature of a signed upload', async () => {
    // turborepo-remote-cache keeps the x-artifact-tag header only when it has a signature key itself.
    const signed = remote(plain, { RUNTS_REMOTE_CACHE_TEAM: 'team_unsigned', RUNTS_REMOTE_CACHE_SIGNATURE_KEY: 'key-one' })
    await uploadFromA(signed)
    expect(storedArtifacts(plain).filter((f) => f.includes(`${path.sep}team_unsigned${path.sep}`) && f.endsWith('.tag'))).toEqual([])
    const b = clone()
    const { cache, warnings } = cacheIn(b, signed)
    expect((await perform(cache, b)).action).toBe('run')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/it carries no signature, so it was not used; the task runs/)
    expect(warnings[0]).toContain('TURBO_REMOTE_CACHE_SIGNATURE_KEY')
  })

  it('gives up on a server that accepts the connection and never answers, within its timeout', async () => {
    const sockets: Socket[] = []
    const silent: Server = createServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`
      const t = clone()
      const { cache, warnings } = cacheIn(t, { RUNTS_REMOTE_CACHE_URL: url, RUNTS_REMOTE_CACHE_TEAM: 'acme' }, 300)
      const started = Date.now()
      expect((await perform(cache, t)).action).toBe('run')
      await cache.flush()
      expect(Date.now() - started).toBeLessThan(3000)
      expect(sockets.length).toBeGreaterThan(0)
      expect(warnings).toEqual([`remote cache ${url} did not answer within 0.3 s; tasks run without it`])
    } finally {
      for (const s of sockets) s.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })
})
