/**
 * What a PyPI-style index holds of a project, read from its simple index
 * (`/simple/NAME/`, PEP 503, as JSON when it speaks PEP 691): the API every
 * index has (PyPI, TestPyPI, pypiserver, devpi, Artifactory) and the one pip
 * installs from. Each file comes with where to download it and, when the
 * index says, its sha256 (`#sha256=` in HTML, `hashes.sha256` in JSON).
 * Warehouse's JSON API (`/pypi/NAME/VERSION/json`) is not asked: only PyPI
 * and TestPyPI have it, and elsewhere its 404 says nothing.
 */
import { decodedUri } from '../util/uri.js'
import { type GetOptions, get, redact } from './http.js'
import { normalizeName } from './python-names.js'

export { indexForUpload, PYPI, TEST_PYPI } from './indexes.js'

const ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01'

/** A file an index lists. */
export interface IndexFile {
  filename: string
  /** Where to download it: absolute, resolved against the project's page. */
  url: string
  /** Its sha256 in lower-case hex, when the index gives it. */
  sha256?: string | undefined
}

/** The files the index lists for a project (none when it does not know the project). */
export async function indexFiles(index: string, name: string, options: GetOptions = {}): Promise<IndexFile[]> {
  const url = projectUrl(index, name)
  const response = await get(url, { ...options, headers: { accept: ACCEPT, ...options.headers } })
  if (response.status === 404) return []
  if (response.status === 401 || response.status === 403) {
    throw new Error(`${redact(url)} refused to list ${name} (HTTP ${response.status}): give the index's credentials in its URL`)
  }
  if (response.status !== 200) throw new Error(`${redact(url)} answered HTTP ${response.status} for ${name}`)
  const files = response.contentType.includes('json') ? fromJson(response.text) : fromHtml(response.text)
  // The page's own URL, without credentials: hrefs are relative to it.
  const base = new URL(redact(url))
  return files.map((file) => ({ ...file, url: resolveUrl(file.url, base) }))
}

/** The file names the index lists for a project (none when it does not know the project). */
export async function filesOnIndex(index: string, name: string, options: GetOptions = {}): Promise<string[]> {
  return (await indexFiles(index, name, options)).map((file) => file.filename)
}

/** `/simple/NAME/` under the index, the name in PEP 503 form. */
export function projectUrl(index: string, name: string): string {
  return `${index.replace(/\/?$/, '/')}${normalizeName(name)}/`
}

/** PEP 691: `{ "files": [{ "filename", "url", "hashes": { "sha256" } }] }`; the url as given. */
export function fromJson(text: string): IndexFile[] {
  const files = (JSON.parse(text) as { files?: { filename?: unknown; url?: unknown; hashes?: { sha256?: unknown } }[] }).files ?? []
  return files.flatMap((f) => {
    if (typeof f.filename !== 'string') return []
    const sha256 = typeof f.hashes?.sha256 === 'string' ? f.hashes.sha256.toLowerCase() : undefined
    return [{ filename: f.filename, url: typeof f.url === 'string' ? f.url : f.filename, ...(sha256 ? { sha256 } : {}) }]
  })
}

/** PEP 503: one anchor per file; its href's last path segment is the file name, its `#sha256=` fragment the digest. */
export function fromHtml(html: string): IndexFile[] {
  const files: IndexFile[] = []
  for (const m of html.matchAll(/<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>/gi)) {
    const href = (m[1] ?? m[2] ?? '').replaceAll('&amp;', '&')
    const [withoutFragment, fragment = ''] = href.split('#') as [string, string?]
    const path = withoutFragment.split('?')[0]!
    const file = path.slice(path.lastIndexOf('/') + 1)
    if (!file) continue
    const sha256 = /(?:^|&)sha256=([0-9a-fA-F]{64})(?:&|$)/.exec(fragment)?.[1]?.toLowerCase()
    files.push({ filename: decodedUri(file), url: withoutFragment, ...(sha256 ? { sha256 } : {}) })
  }
  return files
}

function resolveUrl(href: string, base: URL): string {
  try {
    return new URL(href, base).href
  } catch {
    return href
  }
}
