/**
 * A client for the Turborepo remote cache HTTP API: `GET` and `PUT`
 * `/v8/artifacts/:hash`, a bearer token, the team as a query parameter, and
 * signed artifacts (`x-artifact-tag`). Bodies stream between the socket and a
 * file, never whole in memory, and are bounded in size (`maxBytes`). Every
 * request is bounded in time: a server that stays silent for `timeoutMs`
 * (connecting, answering, sending) is given up on, and so is one that
 * trickles for more than 12 times that. Failures are `RemoteError`s whose
 * messages never hold the token.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { VERSION } from '../../version.js'
import { type RemoteConfig, signingTeam } from '../remote-config.js'
import { Limit, TooLarge } from './limit.js'
import { Signer, sameTag } from './signature.js'

/** What went wrong with the server: `too-large` and `signature` are about one artifact, the others about the server. */
export type RemoteErrorKind = 'unreachable' | 'timeout' | 'refused' | 'status' | 'signature' | 'too-large'

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

const MAX_REDIRECTS = 3
/** A request that trickles (never silent for long, never done) is given up on after this many silences. */
const TOTAL_TIMEOUTS = 12

/** A response whose body has not been read yet. */
type Answer = { status: number; headers: IncomingHttpHeaders; res: IncomingMessage }

/** The HTTP client of one shared cache. */
export class RemoteClient {
  constructor(readonly config: RemoteConfig) {}

  /**
   * Streams the artifact into `file`: false when the server does not have it. Throws a `RemoteError`
   * when it is larger than `maxBytes`, or (with a signing key) its signature does not verify.
   */
  async download(hash: string, file: string): Promise<boolean> {
    const { signatureKey, maxBytes } = this.config
    return this.request('GET', hash, {}, undefined, async ({ status, headers, res }) => {
      if (status === 404) return false
      const length = Number(headers['content-length'])
      if (length > maxBytes) throw new TooLarge('it sent', maxBytes)
      const signer = signatureKey ? new Signer(signatureKey, hash, signingTeam(this.config)) : undefined
      await pipeline(res, new Limit(maxBytes, 'it sent', signer && ((chunk) => signer.update(chunk))), createWriteStream(file))
      if (signer) {
        const tag = headers['x-artifact-tag']
        if (!sameTag(signer.tag(), typeof tag === 'string' ? tag : undefined)) {
          if (tag) throw new RemoteError('signature', 'its signature does not verify, so it was not used')
          throw new RemoteError('signature', 'it carries no signature, so it was not used', UNSIGNED_HINT)
        }
      }
      return true
    })
  }

  /** Sends the artifact in `file` (`size` bytes, signed with `tag` when there is a signing key), streamed from the file. */
  async upload(hash: string, file: string, size: number, durationMs: number, tag?: string): Promise<void> {
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'content-length': String(size),
      'x-artifact-duration': String(Math.round(durationMs)),
    }
    if (tag) headers['x-artifact-tag'] = tag
    await this.request('PUT', hash, headers, file, async () => {})
  }

  /** A signer for an artifact about to be sent, when there is a signing key. */
  signer(hash: string): Signer | undefined {
    const { signatureKey } = this.config
    return signatureKey ? new Signer(signatureKey, hash, signingTeam(this.config)) : undefined
  }

  private artifactUrl(hash: string): URL {
    const url = new URL(this.config.url.href)
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/v8/artifacts/${encodeURIComponent(hash)}`
    url.search = ''
    if (this.config.team) url.searchParams.set(this.config.team.param, this.config.team.value)
    return url
  }

  private async request<T>(
    method: string,
    hash: string,
    extra: Record<string, string>,
    bodyFile: string | undefined,
    read: (answer: Answer) => Promise<T>,
  ): Promise<T> {
    let url = this.artifactUrl(hash)
    for (let hop = 0; ; hop++) {
      // The token goes only to the configured server (same scheme, host and port), never to where it redirects: not to http:// of the same host.
      const ours = url.origin === this.config.url.origin
      const headers: Record<string, string> = { 'user-agent': `runts ${VERSION}`, ...extra }
      if (ours && this.config.token) headers.authorization = `Bearer ${this.config.token}`
      const result = await this.send(url, { method, headers }, bodyFile, async (answer): Promise<{ redirect: URL } | { value: T }> => {
        const { status, headers: got } = answer
        if (status >= 300 && status < 400 && got.location && method !== 'PUT' && hop < MAX_REDIRECTS) {
          return { redirect: new URL(got.location, url) }
        }
        if (status === 401 || status === 403) {
          throw new RemoteError('refused', `refused the token (HTTP ${status}); check RUNTS_REMOTE_CACHE_TOKEN and RUNTS_REMOTE_CACHE_TEAM`)
        }
        if (status === 413) throw new RemoteError('too-large', `refused the artifact as too large (HTTP 413)`)
        if (status !== 404 && (status < 200 || status >= 300)) throw new RemoteError('status', `answered ${method} with HTTP ${status}`)
        return { value: await read(answer) }
      })
      if ('redirect' in result) {
        url = result.redirect
        continue
      }
      return result.value
    }
  }

  /** One request: `handle` reads the answer; the body of `bodyFile` is streamed up. Bounded in time from start to the end of `handle`. */
  private async send<T>(
    url: URL,
    options: RequestOptions,
    bodyFile: string | undefined,
    handle: (answer: Answer) => Promise<T>,
  ): Promise<T> {
    const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http')
    const { timeoutMs } = this.config
    let failure: RemoteError | undefined
    let req: ClientRequest | undefined
    const fail = (error: RemoteError) => {
      failure ??= error
      req?.destroy(failure)
    }
    const deadline = setTimeout(
      () => fail(new RemoteError('timeout', `did not finish within ${(timeoutMs * TOTAL_TIMEOUTS) / 1000} s`)),
      timeoutMs * TOTAL_TIMEOUTS,
    )
    try {
      const answer = await new Promise<IncomingMessage>((resolve, reject) => {
        req = request(url, { ...options, agent: false, timeout: timeoutMs })
        req.on('timeout', () => fail(new RemoteError('timeout', `did not answer within ${timeoutMs / 1000} s`)))
        req.on('error', (error: NodeJS.ErrnoException) =>
          reject(failure ?? new RemoteError('unreachable', `cannot be reached (${error.code ?? error.message})`)),
        )
        req.on('response', resolve)
        if (bodyFile) {
          const body = createReadStream(bodyFile)
          body.on('error', (error) => reject(error))
          body.pipe(req)
        } else req.end()
      })
      try {
        return await handle({ status: answer.statusCode ?? 0, headers: answer.headers, res: answer })
      } finally {
        // Whatever the handler did not read (an error page, a refused artifact) is not waited for.
        if (!answer.complete) answer.destroy()
      }
    } catch (error) {
      if (failure) throw failure
      if (error instanceof RemoteError) throw error
      if (error instanceof TooLarge) throw new RemoteError('too-large', error.message)
      const code = (error as NodeJS.ErrnoException).code
      throw new RemoteError('unreachable', `broke off the answer (${code ?? (error as Error).message})`)
    } finally {
      clearTimeout(deadline)
      req?.destroy()
    }
  }
}
