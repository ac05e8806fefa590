/**
 * GitHub's REST API for releases, as its documentation describes it: get a
 * release by its tag, create one, list its assets, upload an asset to the
 * `upload_url` the release carries (its own host: uploads.github.com, or
 * `/api/uploads` on GitHub Enterprise Server), delete a broken one, and read
 * an asset's bytes. `GITHUB_API_URL` names the server (`https://api.github.com`;
 * `https://HOST/api/v3` for Enterprise). The token travels in a header only.
 */
import { redact } from './describe.js'
import { type Answer, json, request } from './rest.js'

export const GITHUB_API = 'https://api.github.com'

export interface GithubRelease {
  id: number
  tag_name: string
  html_url?: string
  upload_url: string
  draft?: boolean
  prerelease?: boolean
}

export interface GithubAsset {
  id: number
  name: string
  size: number
  /** `uploaded`, or `starter`/`new` for an upload that never finished. */
  state?: string
  /** `sha256:HEX`, on servers that compute it (github.com since 2025). */
  digest?: string | null
  url: string
}

export interface GithubTarget {
  /** The API's root: GITHUB_API_URL. */
  api: string
  /** `owner/name`. */
  repository: string
  token: string
  signal?: AbortSignal
}

type ApiError = { message?: string; errors?: Array<{ code?: string; field?: string; message?: string }> }

export class GithubApi {
  constructor(private readonly target: GithubTarget) {}

  /** The release of a tag, or undefined when there is none (drafts have no tag yet, and are not found). */
  async releaseByTag(tag: string): Promise<GithubRelease | undefined> {
    const answer = await this.call('GET', `/releases/tags/${encodeURIComponent(tag)}`)
    if (answer.status === 404) return undefined
    return this.expect<GithubRelease>(answer, 200, `read the release of ${tag}`)
  }

  async createRelease(body: {
    tag_name: string
    target_commitish?: string
    name?: string
    body?: string
    prerelease?: boolean
  }): Promise<GithubRelease | 'exists'> {
    const answer = await this.call('POST', '/releases', JSON.stringify(body))
    if (answer.status === 422 && apiError(answer).errors?.some((e) => e.code === 'already_exists' && e.field === 'tag_name'))
      return 'exists'
    return this.expect<GithubRelease>(answer, 201, `create the release ${body.tag_name}`)
  }

  /** Every asset of a release (100 a page). */
  async assets(release: GithubRelease): Promise<GithubAsset[]> {
    const all: GithubAsset[] = []
    for (let page = 1; page <= 100; page++) {
      const answer = await this.call('GET', `/releases/${release.id}/assets?per_page=100&page=${page}`)
      const batch = this.expect<GithubAsset[]>(answer, 200, `list the assets of ${release.tag_name}`)
      if (!Array.isArray(batch)) throw new Error(`GitHub did not answer with a list of assets for ${release.tag_name}`)
      all.push(...batch)
      if (batch.length < 100) break
    }
    return all
  }

  /** Uploads `body` as the asset `name` to the release's `upload_url`. */
  async upload(release: GithubRelease, name: string, body: Blob, contentType: string): Promise<GithubAsset> {
    const url = expandUploadUrl(release.upload_url, { name })
    const answer = await request(url, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': contentType, 'content-length': String(body.size) },
      body,
      // An upload takes as long as the file needs; GitHub itself allows large assets.
      timeoutMs: 30 * 60_000,
      signal: this.target.signal,
    })
    return this.expect<GithubAsset>(answer, 201, `upload ${name} to ${release.tag_name}`)
  }

  async deleteAsset(asset: GithubAsset): Promise<void> {
    const answer = await this.call('DELETE', `/releases/assets/${asset.id}`)
    if (answer.status !== 204 && answer.status !== 404) this.expect(answer, 204, `delete the unfinished asset ${asset.name}`)
  }

  /** Reads an asset's bytes (following GitHub's redirect to its storage, without the token), chunk by chunk. */
  async download(asset: GithubAsset, onChunk: (chunk: Uint8Array) => void): Promise<void> {
    const answer = await request(asset.url, {
      headers: { ...this.headers(), accept: 'application/octet-stream' },
      maxBytes: asset.size,
      timeoutMs: 30 * 60_000,
      signal: this.target.signal,
      onChunk,
    })
    if (answer.status !== 200) this.expect(answer, 200, `download the asset ${asset.name}`)
  }

  private headers(): Record<string, string> {
    return {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${this.target.token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'runts',
    }
  }

  private call(method: string, path: string, body?: string): Promise<Answer> {
    const url = `${this.target.api.replace(/\/+$/, '')}/repos/${this.target.repository}${path}`
    const headers = body === undefined ? this.headers() : { ...this.headers(), 'content-type': 'application/json' }
    return request(url, { method, headers, body, signal: this.target.signal })
  }

  private expect<T>(answer: Answer, status: number, what: string): T {
    if (answer.status === status) return json<T>(answer)
    const error = apiError(answer)
    const details = (error.errors ?? []).map((e) => [e.field, e.code, e.message].filter(Boolean).join(' ')).join('; ')
    const said = [error.message, details].filter(Boolean).join(': ') || `HTTP ${answer.status}`
    throw new Error(
      `GitHub (${redact(answer.url)}) refused to ${what}: HTTP ${answer.status}, ${said}${hint(answer.status, this.target.repository)}`,
    )
  }
}

function apiError(answer: Answer): ApiError {
  try {
    const body = JSON.parse(answer.text) as unknown
    return typeof body === 'object' && body !== null ? (body as ApiError) : {}
  } catch {
    return {}
  }
}

function hint(status: number, repository: string): string {
  if (status === 401) return ': GITHUB_TOKEN is not a valid token'
  if (status === 403) return `: the token may not write to ${repository} (a workflow job needs permissions: contents: write)`
  if (status === 404) return `: no repository ${repository} that the token can see (GITHUB_REPOSITORY, GITHUB_API_URL)`
  return ''
}

/**
 * The `upload_url` hypermedia template (RFC 6570, `…/assets{?name,label}`) with its query filled in.
 * Only the form-style query expression GitHub uses is understood; any other template is refused.
 */
export function expandUploadUrl(template: string, values: Record<string, string | undefined>): string {
  const m = /^([^{}]*)\{\?([A-Za-z0-9_,]+)\}$/.exec(template)
  if (!m) {
    if (!/[{}]/.test(template)) return template
    throw new Error(`GitHub's upload_url ${JSON.stringify(template)} is not the template GitHub documents (…/assets{?name,label})`)
  }
  const query = m[2]!
    .split(',')
    .filter((name) => values[name] !== undefined)
    .map((name) => `${name}=${encodeURIComponent(values[name]!)}`)
  return query.length > 0 ? `${m[1]}?${query.join('&')}` : m[1]!
}
