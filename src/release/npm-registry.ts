/**
 * What an npm registry holds of a package, from its package document
 * (`GET /NAME`), as npm itself reads it.
 */
import { type GetOptions, get, redact } from './http.js'

export interface NpmVersions {
  /** The versions it serves. */
  versions: string[]
  /** Versions published once and since unpublished: npm never accepts them again. */
  unpublished: string[]
}

/** The versions a registry has of a package (none when it does not know the package). */
export async function npmVersions(registry: string, name: string, options: GetOptions = {}): Promise<NpmVersions> {
  // A scoped name keeps its '@' and escapes its '/': `@scope%2fname`.
  const url = `${registry.replace(/\/?$/, '/')}${name.replace('/', '%2f')}`
  const response = await get(url, { ...options, headers: { accept: 'application/json', ...options.headers } })
  if (response.status === 404) return { versions: [], unpublished: [] }
  if (response.status === 401 || response.status === 403) {
    throw new Error(`${redact(registry)} refused to show ${name} (HTTP ${response.status}): give a token that can read it`)
  }
  if (response.status !== 200) throw new Error(`${redact(registry)} answered HTTP ${response.status} for ${name}`)
  let doc: { versions?: Record<string, unknown>; time?: Record<string, unknown> }
  try {
    doc = JSON.parse(response.text)
  } catch {
    throw new Error(`${redact(registry)} did not answer with a package document for ${name}: is it an npm registry?`)
  }
  const versions = Object.keys(doc.versions ?? {})
  const unpublished = Object.keys(doc.time ?? {}).filter((v) => v !== 'created' && v !== 'modified' && !versions.includes(v))
  return { versions, unpublished }
}
