/**
 * One version of an npm package by its tarball's integrity: the checks of
 * what a tarball holds before it is published, the tarball a registry holds
 * (downloaded and verified against its `dist.integrity`), and the check after
 * a publish that the registry lists the integrity that was published.
 */
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { downloadVerified } from './download.js'
import { redact } from './http.js'
import { type NpmDist, npmDist } from './npm-registry.js'
import { foreignFiles, missingEntryPoints, onlyMetadata, readTarball } from './npm-tarball.js'

export interface RegistryVersion {
  registry: string
  name: string
  version: string
  /** A token to read a private package with. */
  token?: string
}

/**
 * Refuses a tarball that carries files that are not the package's (runts' own, `.env*`, older tarballs,
 * at any depth), lacks an entry point its package.json declares, or holds nothing but package.json and
 * docs. Resolves to its package.json.
 */
export async function checkTarball(tarball: string, name: string, fix = ''): Promise<Record<string, unknown>> {
  const { files, manifest } = await readTarball(tarball)
  const file = path.basename(tarball)
  const foreign = foreignFiles(files, name)
  if (foreign.length > 0) {
    throw new Error(`${file} carries files that are not the package's: ${foreign.join(', ')}; nothing was published. ${fix}`.trim())
  }
  const missing = missingEntryPoints(files, manifest)
  if (missing.length > 0) {
    throw new Error(
      `${file} lacks what its package.json names: ${missing.join('; ')} (it holds ${files.length} files: ${files.slice(0, 5).join(', ')}${files.length > 5 ? ', …' : ''}); nothing was published. ` +
        'Check "files" in package.json and that the build wrote these (npm pack runs prepack and prepare, not prepublishOnly)',
    )
  }
  if (onlyMetadata(files)) {
    throw new Error(`${file} holds only ${files.join(', ')}: no code; nothing was published. Check "files" in package.json and the build`)
  }
  return manifest
}

/** A version's `dist` on a registry, or undefined. */
export function onRegistry(target: RegistryVersion, options: { signal?: AbortSignal } = {}): Promise<NpmDist | undefined> {
  return npmDist(target.registry, target.name, target.version, { bearer: target.token, signal: options.signal })
}

/** Downloads the tarball a registry holds for this version into `dir`, verified against its `dist.integrity`. */
export async function fetchTarball(
  target: RegistryVersion,
  dir: string,
  options: { signal?: AbortSignal } = {},
): Promise<{ path: string; integrity: string }> {
  const dist = await onRegistry(target, options)
  const where = redact(target.registry)
  if (dist === undefined) throw new Error(`${target.name}@${target.version} is not on ${where}`)
  if (!dist.integrity)
    throw new Error(
      `${where} lists ${target.name}@${target.version} without an integrity: runts cannot tell that it downloads what was tested`,
    )
  const dest = path.join(dir, `${target.name.replace(/^@/, '').replace('/', '-')}-${target.version}.tgz`)
  // The token goes to the registry's own server only (a tarball may be elsewhere, on a CDN).
  const sameServer = new URL(dist.tarball).origin === new URL(redact(target.registry)).origin
  const authorization = target.token && sameServer ? `Bearer ${target.token}` : undefined
  await downloadVerified(dist.tarball, dest, { integrity: dist.integrity, authorization, signal: options.signal })
  return { path: dest, integrity: dist.integrity }
}

/** After a publish: the registry must list the version with this integrity (waited for, a minute at most). */
export async function confirmPublished(
  target: RegistryVersion,
  integrity: string,
  options: { waitMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const deadline = Date.now() + (options.waitMs ?? 60_000)
  const where = redact(target.registry)
  for (;;) {
    const dist = await onRegistry(target, options)
    if (dist?.integrity !== undefined && dist.integrity !== integrity) {
      throw new Error(
        `after the publish, ${where} lists ${target.name}@${target.version} with integrity ${dist.integrity}, not the ${integrity} published`,
      )
    }
    if (dist?.integrity === integrity) return
    if (Date.now() > deadline) throw new Error(`${target.name}@${target.version} is not listed on ${where} a minute after the publish`)
    await delay(2000, undefined, { signal: options.signal })
  }
}
