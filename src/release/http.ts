/**
 * GET for the registry checks: a bounded wait, a bounded answer (read up to a
 * limit, never whole into memory whatever a server sends), credentials in a
 * header (never in a message), and redirects followed only within the same
 * server: a pypiserver redirects a project it does not have to PyPI, and
 * PyPI's answer is not this index's.
 */
import { redact } from './describe.js'
import { AnswerTooLarge, readBounded } from './rest.js'

export interface GetOptions {
  headers?: Record<string, string> | undefined
  /** `Authorization: Bearer TOKEN` (npm). */
  bearer?: string | undefined
  /** How long to wait for an answer; 15 s. */
  timeoutMs?: number | undefined
  /** The most bytes of the answer read; 128 MiB (a package document of thousands of versions fits). A longer answer is an error. */
  maxBytes?: number | undefined
  signal?: AbortSignal | undefined
}

export interface GetResult {
  /** The HTTP status; 404 too for a redirect to another server. */
  status: number
  contentType: string
  text: string
}

/** GET `url`; throws an Error whose message names the URL without credentials, and says why. */
export async function get(url: string, options: GetOptions = {}): Promise<GetResult> {
  const timeoutMs = options.timeoutMs ?? 15_000
  const timeout = AbortSignal.timeout(timeoutMs)
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
  const { url: bare, authorization } = splitCredentials(url)
  const headers: Record<string, string> = { ...options.headers }
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`
  else if (authorization) headers.authorization = authorization
  let current = bare
  try {
    for (let hop = 0; hop < 5; hop++) {
      const response = await fetch(current, { headers, signal, redirect: 'manual' })
      const location = response.headers.get('location')
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel()
        const next = new URL(location, current)
        if (next.origin !== new URL(current).origin) return { status: 404, contentType: '', text: '' }
        current = next.href
        continue
      }
      const text = await readBounded(response, options.maxBytes ?? MAX_BYTES, current)
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', text }
    }
    throw new Error(`${redact(url)} redirects too many times`)
  } catch (error) {
    if (error instanceof AnswerTooLarge) throw error
    if (timeout.aborted)
      throw new Error(`${redact(url)} did not answer within ${Number((timeoutMs / 1000).toFixed(1))} s: check the URL and your connection`)
    if (options.signal?.aborted) throw new Error(`stopped while asking ${redact(url)}`)
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    const why = cause?.code ?? cause?.message ?? (error as Error).message
    throw new Error(`could not reach ${redact(url)} (${why}): check the URL and your connection`)
  }
}

export { redact }

/** What an index page or a packument may take: room for any real one, and a bound on what a server can make runts hold. */
const MAX_BYTES = 128 * 1024 * 1024

/** `https://user:pass@host/x` -> `https://host/x` and a Basic authorization header (fetch refuses credentials in URLs). */
export function splitCredentials(url: string): { url: string; authorization?: string } {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new Error(
      'an index or registry URL is not a valid URL (not shown, it may hold a token): give a full URL, e.g. https://test.pypi.org/simple/',
    )
  }
  if (!u.username && !u.password) return { url }
  const basic = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')
  u.username = ''
  u.password = ''
  return { url: u.href, authorization: `Basic ${basic}` }
}
