/**
 * A client for the Turborepo remote cache HTTP API: `GET`, `HEAD` and `PUT`
 * `/v8/artifacts/:hash`, a bearer token, the team as a query parameter, and
 * signed artifacts (`x-artifact-tag`). Every request is bounded: a server
 * that stays silent for `timeoutMs` (connecting, answering or sending) is
 * given up on. Failures are `RemoteError`s whose messages never hold the token.
 */
import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http'
import { VERSION } from '../version.js'
import { type RemoteConfig, signingTeam } from './remote-config.js'
import { signArtifact, verifyArtifact } from './signature.js'

/** What went wrong with the server. */
export type RemoteErrorKind = 'unreachable' | 'timeout' | 'refused' | 'status' | 'signature'

/** A shared-cache failure; its message names what happened, never the token. */
export class RemoteError extends Error {
  constructor(
    readonly kind: RemoteErrorKind,
    message: string,
    /** What to check, said after the run's own words. */
    readonly hint?: string,
  ) {
    super(message)
  }
}

/** turborepo-remote-cache stores the `x-artifact-tag` header only when it has a signature key itself. */
const UNSIGNED_HINT =
  'if it was uploaded signed, the server dropped the signature: turborepo-remote-cache keeps signatures only when it is started with TURBO_REMOTE_CACHE_SIGNATURE_KEY set'

interface Response {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

const MAX_REDIRECTS = 3
/** A request that trickles (never silent for long, never done) is given up on after this many silences. */
const TOTAL_TIMEOUTS = 12

/** The HTTP client of one shared cache. */
export class RemoteClient {
  constructor(readonly config: RemoteConfig) {}

  /** The artifact's body, `undefined` when the server does not have it; a signature that does not verify throws. */
  async get(hash: string): Promise<Buffer | undefined> {
    const response = await this.request('GET', hash)
    if (response.status === 404) return undefined
    const { signatureKey } = this.config
    const tag = response.headers['x-artifact-tag']
    if (
      signatureKey &&
      !verifyArtifact(signatureKey, hash, signingTeam(this.config), response.body, typeof tag === 'string' ? tag : undefined)
    ) {
      if (tag) throw new RemoteError('signature', 'its signature does not verify, so it was not used')
      throw new RemoteError('signature', 'it carries no signature, so it was not used', UNSIGNED_HINT)
    }
    return response.body
  }

  async exists(hash: string): Promise<boolean> {
    return (await this.request('HEAD', hash)).status !== 404
  }

  async put(hash: string, body: Buffer, durationMs: number): Promise<void> {
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'content-length': String(body.length),
      'x-artifact-duration': String(Math.round(durationMs)),
    }
    if (this.config.signatureKey) headers['x-artifact-tag'] = signArtifact(this.config.signatureKey, hash, signingTeam(this.config), body)
    await this.request('PUT', hash, body, headers)
  }

  private artifactUrl(hash: string): URL {
    const url = new URL(this.config.url.href)
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/v8/artifacts/${encodeURIComponent(hash)}`
    url.search = ''
    if (this.config.team) url.searchParams.set(this.config.team.param, this.config.team.value)
    return url
  }

  private async request(method: string, hash: string, body?: Buffer, extra: Record<string, string> = {}): Promise<Response> {
    let url = this.artifactUrl(hash)
    for (let hop = 0; ; hop++) {
      // The token goes only to the configured server, never to where it redirects.
      const ours = url.host === this.config.url.host
      const headers: Record<string, string> = { 'user-agent': `runts ${VERSION}`, ...extra }
      if (ours && this.config.token) headers.authorization = `Bearer ${this.config.token}`
      const response = await this.send(url, { method, headers }, body)
      const location = response.headers.location
      if (response.status >= 300 && response.status < 400 && location && method !== 'PUT' && hop < MAX_REDIRECTS) {
        url = new URL(location, url)
        continue
      }
      if (response.status === 401 || response.status === 403) {
        throw new RemoteError(
          'refused',
          `refused the token (HTTP ${response.status}); check RUNTS_REMOTE_CACHE_TOKEN and RUNTS_REMOTE_CACHE_TEAM`,
        )
      }
      if (response.status !== 404 && (response.status < 200 || response.status >= 300)) {
        throw new RemoteError('status', `answered ${method} with HTTP ${response.status}`)
      }
      return response
    }
  }

  private async send(url: URL, options: RequestOptions, body?: Buffer): Promise<Response> {
    const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http')
    const { timeoutMs } = this.config
    return new Promise<Response>((resolve, reject) => {
      const req = request(url, { ...options, agent: false, timeout: timeoutMs })
      const fail = (error: RemoteError) => {
        req.destroy()
        reject(error)
      }
      const deadline = setTimeout(
        () => fail(new RemoteError('timeout', `did not finish within ${(timeoutMs * TOTAL_TIMEOUTS) / 1000} s`)),
        timeoutMs * TOTAL_TIMEOUTS,
      )
      req.on('close', () => clearTimeout(deadline))
      req.on('timeout', () => fail(new RemoteError('timeout', `did not answer within ${timeoutMs / 1000} s`)))
      req.on('error', (error: NodeJS.ErrnoException) =>
        reject(new RemoteError('unreachable', `cannot be reached (${error.code ?? error.message})`)),
      )
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
        res.on('error', (error: NodeJS.ErrnoException) =>
          reject(new RemoteError('unreachable', `broke off the answer (${error.code ?? error.message})`)),
        )
        res.on('aborted', () => reject(new RemoteError('unreachable', 'broke off the answer')))
      })
      req.end(body)
    })
  }
}
