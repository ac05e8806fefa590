/**
 * What an npm registry holds of a package, from its package document
 * (`GET /NAME`), as npm itself reads it: the versions, and for each its
 * `dist` (the tarball's URL and integrity).
 */
import { type GetOptions, get, redact } from './http.js'

export interface NpmVersions {
  /** The versions it serves. */
  versions: string[]
  /** Versions published once and since unpublished: npm never accepts them again. */
  unpublished: string[]
}

export interface NpmDist {
  /** Where the tarball is. */
  tarball: string
  /** Its Subresource Integrity string (`sha512-…`), when the registry lists one. */
  integrity?: string
}

interface PackageDocument {
  versions?: Record<string, { dist?: { tarball?: unknown; integrity?: unknown } }>
  time?: Record<string, unknown>
}

/** The versions a registry has of a package (none when it does not know the package). */
export async function npmVersions(registry: string, name: string, options: GetOptions = {}): Promise<NpmVersions> {
  const doc = await packageDocument(registry, name, options)
  const versions = Object.keys(doc?.versions ?? {})
  const unpublished = Object.keys(doc?.time ?? {}).filter((v) => v !== 'created' && v !== 'modified' && !versions.includes(v))
  return { versions, unpublished }
}

/** A version's `dist` on the registry; undefined when the registry does not have that version. */
export async function npmDist(registry: string, name: string, version: string, options: GetOptions = {}): Promise<NpmDist | undefined> {
  const dist = (await packageDocument(registry, name, options))?.versions?.[version]?.dist
  if (dist === undefined) return undefined
  if (typeof dist.tarball !== 'string') throw new Error(`${redact(registry)} lists ${name}@${version} without a tarball`)
  return { tarball: dist.tarball, ...(typeof dist.integrity === 'string' ? { integrity: dist.integrity } : {}) }
}

async function packageDocument(registry: string, name: string, options: GetOptions): Promise<PackageDocument | undefined> {
  // A scoped name keeps its '@' and escapes its '/': `@scope%2fname`.
  const url = `${registry.replace(/\/?$/, '/')}${name.replace('/', '%2f')}`
  const response = await get(url, { ...options, headers: { accept: 'application/json', ...options.headers } })
  if (response.status === 404) return undefined
  if (response.status === 401 || response.status === 403) {
    throw new Error(`${redact(registry)} refused to show ${name} (HTTP ${response.status}): give a token that can read it`)
  }
  if (response.status !== 200) throw new Error(`${redact(registry)} answered HTTP ${response.status} for ${name}`)
  try {
    return JSON.parse(response.text) as PackageDocument
  } catch {
    throw new Error(`${redact(registry)} did not answer with a package document for ${name}: is it an npm registry?`)
  }
}
