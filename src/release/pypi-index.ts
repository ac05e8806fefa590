/**
 * What a PyPI-style index holds of a project, read from its simple index
 * (`/simple/NAME/`, PEP 503, as JSON when it speaks PEP 691): the API every
 * index has (PyPI, TestPyPI, pypiserver, devpi, Artifactory) and the one pip
 * installs from. Warehouse's JSON API (`/pypi/NAME/VERSION/json`) is not
 * asked: only PyPI and TestPyPI have it, and elsewhere its 404 says nothing.
 */
import { type GetOptions, get, redact } from './http.js'
import { normalizeName } from './python-names.js'

export { indexForUpload, PYPI, TEST_PYPI } from './indexes.js'

const ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01'

/** The file names the index lists for a project (none when it does not know the project). */
export async function filesOnIndex(index: string, name: string, options: GetOptions = {}): Promise<string[]> {
  const url = `${index.replace(/\/?$/, '/')}${normalizeName(name)}/`
  const response = await get(url, { ...options, headers: { accept: ACCEPT, ...options.headers } })
  if (response.status === 404) return []
  if (response.status === 401 || response.status === 403) {
    throw new Error(`${redact(url)} refused to list ${name} (HTTP ${response.status}): give the index's credentials in its URL`)
  }
  if (response.status !== 200) throw new Error(`${redact(url)} answered HTTP ${response.status} for ${name}`)
  return response.contentType.includes('json') ? fromJson(response.text) : fromHtml(response.text)
}

/** PEP 691: `{ "files": [{ "filename": … }] }`. */
export function fromJson(text: string): string[] {
  const files = (JSON.parse(text) as { files?: { filename?: unknown }[] }).files ?? []
  return files.map((f) => f.filename).filter((f): f is string => typeof f === 'string')
}

/** PEP 503: one anchor per file; its href's last path segment is the file name. */
export function fromHtml(html: string): string[] {
  const names: string[] = []
  for (const m of html.matchAll(/<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>/gi)) {
    const href = (m[1] ?? m[2] ?? '').replaceAll('&amp;', '&').split('#')[0]!.split('?')[0]!
    const file = href.slice(href.lastIndexOf('/') + 1)
    if (file) names.push(safeDecode(file))
  }
  return names
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
