/**
 * The real `turborepo-remote-cache` server (from npm), started on 127.0.0.1
 * on a port it picks (it logs which) and its artifacts in a temp folder, for
 * the shared-cache tests. Ready once it answers there; stopped by its pid.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { repo } from './project.js'

export interface CacheServer {
  url: string
  token: string
  storage: string
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/**
 * Starts a server; `signatures`: it keeps the x-artifact-tag sent with each artifact (it never checks it);
 * `bodyLimit`: the largest artifact it takes, in bytes (its default is 100 MiB).
 */
export async function startCacheServer(options: { signatures?: boolean; bodyLimit?: number } = {}): Promise<CacheServer> {
  const storage = mkdtempSync(path.join(os.tmpdir(), 'runts-remote-cache-'))
  const token = `test-token-${randomUUID()}`
  // Port 0: the server binds a free port itself and says which. A port found free beforehand could be taken
  // by another test's server before this one bound it, and then that server answered in its place.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    TURBO_TOKEN: token,
    STORAGE_PROVIDER: 'local',
    STORAGE_PATH: storage,
    STORAGE_PATH_USE_TMP_FOLDER: 'false',
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    RUNTS_TEST_SERVER: randomUUID(),
  }
  if (options.signatures) env.TURBO_REMOTE_CACHE_SIGNATURE_KEY = 'the-server-only-needs-it-set'
  if (options.bodyLimit) env.BODY_LIMIT = String(options.bodyLimit)
  const cli = path.join(repo, 'node_modules', 'turborepo-remote-cache', 'dist', 'cli.js')
  const child: ChildProcess = spawn(process.execPath, [cli], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail('did not say where it listens within 30 s'), 30_000)
    const fail = (why: string) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      rmSync(storage, { recursive: true, force: true })
      reject(new Error(`turborepo-remote-cache ${why} (exit ${child.exitCode}): ${log}`))
    }
    const read = (d: Buffer) => {
      log += d
      // Its log, one JSON object a line: {"message":"Server listening at http://127.0.0.1:PORT"}
      const at = /"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(log)?.[1]
      if (!at) return
      clearTimeout(timer)
      child.off('exit', exitedEarly)
      // Past this, its log of every request is read and dropped.
      child.stdout?.off('data', read).resume()
      resolve(at)
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', (d) => {
      log = (log + d).slice(-20_000) // what it says last, for an error; bounded over its whole life
    })
    const exitedEarly = () => fail('exited before it listened')
    child.once('exit', exitedEarly)
  })
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
    }
    rmSync(storage, { recursive: true, force: true })
  }
  if (!(await answers(url))) {
    await stop()
    throw new Error(`turborepo-remote-cache does not answer at ${url}: ${log}`)
  }
  return { url, token, storage, stop }
}

/** Whether anything answers HTTP there (any status: 401 without a token is an answer). */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${url}/v8/artifacts/status`, { timeout: 1000 }, (res) => {
      res.resume()
      resolve(true)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(false))
    req.end()
  })
}
