/**
 * HTTP for the release APIs (GitHub's releases, PyPI's token exchange): a
 * bounded wait, a bounded answer (what a server sends is read up to a limit,
 * never whole into memory whatever its size), credentials only in headers and
 * only to the server they are for (a redirect to another origin drops them),
 * and errors that name the URL without credentials.
 */
import { redact } from './describe.js'

export interface RequestOptions {
  method?: string | undefined
  headers?: Record<string, string> | undefined
  body?: string | Blob | undefined
  /** The most bytes of the answer read; 8 MiB. A longer answer is an error. */
  maxBytes?: number | undefined
  /** How long to wait for the whole answer; 30 s. */
  timeoutMs?: number | undefined
  signal?: AbortSignal | undefined
  /** Each chunk of the answer's body as it comes, instead of keeping it (a download hashed on the way). */
  onChunk?: ((chunk: Uint8Array) => void) | undefined
}

export interface Answer {
  status: number
  headers: Headers
  /** The body as text (empty when `onChunk` took it). */
  text: string
  /** Where the answer came from, after redirects. */
  url: string
}

const CREDENTIAL_HEADERS = ['authorization', 'cookie']

/** Sends a request and reads the answer within the bounds. Throws an Error that says what failed, without credentials. */
export async function request(url: string, options: RequestOptions = {}): Promise<Answer> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const timeout = AbortSignal.timeout(timeoutMs)
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
  const method = options.method ?? 'GET'
  let headers = { ...options.headers }
  let current = url
  try {
    for (let hop = 0; hop < 5; hop++) {
      const target = new URL(current)
      if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error(`${redact(current)} is not an http(s) URL`)
      const response = await fetch(current, { method, headers, body: options.body, signal, redirect: 'manual' })
      const location = response.headers.get('location')
      if (response.status >= 300 && response.status < 400 && location && (method === 'GET' || method === 'HEAD')) {
        await response.body?.cancel()
        const next = new URL(location, current)
        // The token is for the server it was given for: never for the storage a download redirects to.
        if (next.origin !== target.origin) headers = dropCredentials(headers)
        current = next.href
        continue
      }
      const text = await readBounded(response, options.maxBytes ?? 8 * 1024 * 1024, current, options.onChunk)
      return { status: response.status, headers: response.headers, text, url: current }
    }
    throw new Error(`${redact(url)} redirects too many times`)
  } catch (error) {
    if (timeout.aborted)
      throw new Error(`${method} ${redact(url)} did not finish within ${Math.round(timeoutMs / 1000)} s: check the URL and your connection`)
    if (options.signal?.aborted) throw new Error(`stopped while asking ${redact(url)}`)
    if ((error as Error).message?.startsWith(redact(current)) || (error as Error).message?.includes(' answered more than ')) throw error
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    const why = cause?.code ?? cause?.message ?? (error as Error).message
    throw new Error(`could not reach ${redact(url)} (${why}): check the URL and your connection`)
  }
}

/** JSON from an answer, or an Error naming the URL when it is not JSON. */
export function json<T>(answer: Answer): T {
  try {
    return JSON.parse(answer.text) as T
  } catch {
    throw new Error(`${redact(answer.url)} answered HTTP ${answer.status} with something that is not JSON`)
  }
}

/** A server's answer longer than the bound it is read up to. */
export class AnswerTooLarge extends Error {}

/**
 * The body, read up to `maxBytes` (an answer that says it is longer is refused before it is read;
 * then AnswerTooLarge), or handed chunk by chunk to `onChunk`: a server that sends without end never
 * fills the memory. Its error names the URL and the bound.
 */
export async function readBounded(
  response: Response,
  maxBytes: number,
  url: string,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<string> {
  if (!response.body) return ''
  const tooLong = () =>
    new AnswerTooLarge(
      `${redact(url)} answered more than ${Math.round(maxBytes / 1024)} KiB, more than expected: refused (check that the URL is right)`,
    )
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body.cancel()
    throw tooLong()
  }
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      throw tooLong()
    }
    if (onChunk) onChunk(value)
    else chunks.push(value)
  }
  return onChunk ? '' : Buffer.concat(chunks).toString('utf8')
}

function dropCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name.toLowerCase())))
}
