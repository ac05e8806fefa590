/**
 * Downloads of release files, verified: the bytes are streamed to a file,
 * bounded in size, hashed as they come, and kept only when their digest is
 * the one the index or registry lists. Credentials go only to the server
 * they were given for, never along a redirect to another one.
 */
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseIntegrity } from './digest.js'
import { redact, splitCredentials } from './http.js'

export interface DownloadOptions {
  /** The sha256 (hex) the bytes must have. */
  sha256?: string
  /** Or the SRI string (`sha512-…`) they must have, as npm's `dist.integrity`. */
  integrity?: string
  /** An `Authorization` header, sent to this URL's server only (from `user:password@` in the URL when not given). */
  authorization?: string
  /** Refuse a file larger than this; 1 GiB. */
  maxBytes?: number
  /** Give up when no byte came for this long; 60 s. */
  idleMs?: number
  signal?: AbortSignal
}

/** Download `url` to `dest`, verified; throws (and leaves no file) when the digest or the size is wrong. */
export async function downloadVerified(url: string, dest: string, options: DownloadOptions): Promise<void> {
  const expected = expectedDigest(options)
  const maxBytes = options.maxBytes ?? 1024 ** 3
  const idle = new AbortController()
  const signal = options.signal ? AbortSignal.any([options.signal, idle.signal]) : idle.signal
  const idleMs = options.idleMs ?? 60_000
  let timer = setTimeout(() => idle.abort(), idleMs)
  const alive = () => {
    clearTimeout(timer)
    timer = setTimeout(() => idle.abort(), idleMs)
  }
  const hash = createHash(expected.algorithm)
  let size = 0
  try {
    const response = await open(url, options.authorization, signal)
    const length = Number(response.headers.get('content-length') ?? Number.NaN)
    if (length > maxBytes) throw new Error(`${redact(url)} is ${length} bytes, more than the ${maxBytes} a release file may have`)
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>)
    const counted = async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        alive()
        size += chunk.length
        if (size > maxBytes) throw new Error(`${redact(url)} sent more than the ${maxBytes} bytes a release file may have`)
        hash.update(chunk)
        yield chunk
      }
    }
    await pipeline(body, counted, createWriteStream(dest, { mode: 0o644 }), { signal })
  } catch (error) {
    await rm(dest, { force: true })
    if (idle.signal.aborted) throw new Error(`${redact(url)} sent nothing for ${idleMs / 1000} s: check the URL and your connection`)
    if (options.signal?.aborted) throw new Error(`stopped while downloading ${redact(url)}`)
    throw error instanceof Error && !/fetch failed/.test(error.message)
      ? error
      : new Error(`could not download ${redact(url)} (${why(error)})`)
  } finally {
    clearTimeout(timer)
  }
  const actual = hash.digest(expected.encoding)
  if (actual !== expected.digest) {
    await rm(dest, { force: true })
    throw new Error(
      `${redact(url)} served bytes whose ${expected.label} is ${expected.prefix}${actual}, not the ${expected.prefix}${expected.digest} listed for it: ` +
        'the index or registry holds a damaged file, or lists a wrong digest; nothing taken from it',
    )
  }
}

interface Expected {
  algorithm: string
  encoding: 'hex' | 'base64'
  digest: string
  label: string
  prefix: string
}

function expectedDigest(options: DownloadOptions): Expected {
  if (options.sha256) return { algorithm: 'sha256', encoding: 'hex', digest: options.sha256.toLowerCase(), label: 'sha256', prefix: '' }
  const sri = options.integrity ? parseIntegrity(options.integrity) : undefined
  if (sri) return { algorithm: sri.algorithm, encoding: 'base64', digest: sri.digest, label: 'integrity', prefix: `${sri.algorithm}-` }
  throw new Error('downloadVerified: give the sha256 or the integrity the file must have')
}

/** GET with redirects followed by hand: the authorization goes to the first server only. */
async function open(url: string, authorization: string | undefined, signal: AbortSignal): Promise<Response> {
  const split = splitCredentials(url)
  let current = split.url
  const origin = new URL(current).origin
  const auth = authorization ?? split.authorization
  for (let hop = 0; hop < 5; hop++) {
    const headers: Record<string, string> = auth && new URL(current).origin === origin ? { authorization: auth } : {}
    const response = await fetch(current, { headers, signal, redirect: 'manual' })
    const location = response.headers.get('location')
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel()
      current = new URL(location, current).href
      continue
    }
    if (response.status !== 200 || !response.body) {
      await response.body?.cancel()
      throw new Error(`${redact(url)} answered HTTP ${response.status}`)
    }
    return response
  }
  throw new Error(`${redact(url)} redirects too many times`)
}

function why(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error)
}
