/**
 * What an npm registry holds of a package, from its package document
 * (`GET /NAME`), as npm itself reads it: the versions, and for each its
 * `dist` (the tarball's URL and integrity).
 */
import { isIntegrity } from './digest.js'
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
  integrity?: string | undefined
}

interface PackageDocument {
  versions?: Record<string, { dist?: { tarball?: unknown; integrity?: unknown } }> | undefined
  time?: Record<string, unknown> | undefined
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
  const integrity = typeof dist.integrity === 'string' && dist.integrity !== '' ? dist.integrity : undefined
  // What a registry lists is anyone's text: never compared as a digest, nor printed as it is (a terminal would obey its escapes).
  if (integrity !== undefined && !isIntegrity(integrity))
    throw new Error(
      `${redact(registry)} lists ${name}@${version} with the integrity ${shown(integrity)}, which is not an integrity string (sha512-…): ` +
        'runts cannot check a download against it; ask whoever runs the registry',
    )
  return { tarball: dist.tarball, ...(integrity !== undefined ? { integrity } : {}) }
}

/** Text from a server as a message may show it: quoted, anything but printable ASCII escaped, a long one cut. */
function shown(text: string): string {
  const quoted = JSON.stringify(text.slice(0, 120)).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return text.length > 120 ? `${quoted}…` : quoted
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
