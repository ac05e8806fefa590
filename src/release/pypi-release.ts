/**
 * One version's files on a PyPI-style index, by name and sha256: what the
 * index lists, downloads verified against it, and the check after an upload
 * that the index lists each file with the digest that was uploaded.
 */
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { pickDistFiles } from './dist-files.js'
import { downloadVerified } from './download.js'
import { type GetOptions, redact, splitCredentials } from './http.js'
import { type IndexFile, indexFiles } from './pypi-index.js'
import { compareFiles, describeConflicts, listedFiles, type ReleaseFile } from './release-files.js'

export interface IndexVersion {
  /** The simple index (`https://test.pypi.org/simple/`); credentials, when it needs them, in the URL. */
  index: string
  name: string
  version: string
}

/** The files of this version the index lists, with their links and sha256. */
export async function versionOnIndex(target: IndexVersion, options: GetOptions = {}): Promise<IndexFile[]> {
  const files = await indexFiles(target.index, target.name, options)
  const picked = new Set(
    pickDistFiles(
      files.map((f) => f.filename),
      target,
    ),
  )
  return files.filter((f) => picked.has(f.filename))
}

/**
 * Downloads this version's files from the index into `dir`, each checked against the sha256 the index
 * lists for it. Throws when the index has none of them, lists a file without a digest, or serves
 * other bytes than it lists.
 */
export async function fetchFromIndex(target: IndexVersion, dir: string, options: GetOptions = {}): Promise<ReleaseFile[]> {
  const files = await versionOnIndex(target, options)
  const where = redact(target.index)
  if (files.length === 0) throw new Error(`${target.name} ${target.version} is not on ${where}`)
  const { authorization } = splitCredentials(target.index)
  const origin = new URL(redact(target.index)).origin
  const fetched: ReleaseFile[] = []
  for (const file of files) {
    if (file.sha256 === undefined) {
      throw new Error(`${where} lists ${file.filename} without a sha256: runts cannot tell that it downloads the file that was tested`)
    }
    // The name comes from the index: one path segment, never a path.
    const dest = path.join(dir, path.basename(file.filename))
    if (path.basename(file.filename) !== file.filename || file.filename.startsWith('.')) {
      throw new Error(`${where} lists a file named ${JSON.stringify(file.filename)}, which is not a file name`)
    }
    const sameServer = new URL(file.url).origin === origin
    await downloadVerified(file.url, dest, {
      sha256: file.sha256,
      authorization: sameServer ? authorization : undefined,
      signal: options.signal,
    })
    fetched.push({ filename: file.filename, path: dest, digest: file.sha256 })
  }
  return fetched
}

export interface ConfirmOptions extends GetOptions {
  /** How long the index may take to list a new upload (TestPyPI's CDN takes a while); 60 s. */
  waitMs?: number
  /** Between two looks; 3 s. */
  everyMs?: number
}

/**
 * After an upload: the index must list each file with the digest that was uploaded. A file not listed
 * yet is waited for (a minute at most); a file listed with another digest fails at once.
 */
export async function confirmListed(target: IndexVersion, files: readonly ReleaseFile[], options: ConfirmOptions = {}): Promise<void> {
  const deadline = Date.now() + (options.waitMs ?? 60_000)
  const where = redact(target.index)
  for (;;) {
    const standing = compareFiles(files, listedFiles(await versionOnIndex(target, options)))
    if (standing.conflicts.length > 0) {
      throw new Error(`after the upload, ${describeConflicts(standing.conflicts, where)}: the index did not keep what was uploaded`)
    }
    if (standing.missing.length === 0) return
    if (Date.now() > deadline) {
      throw new Error(
        `${standing.missing.map((f) => f.filename).join(', ')} not listed on ${where} ${Math.round((options.waitMs ?? 60_000) / 1000)} s after the upload`,
      )
    }
    await delay(options.everyMs ?? 3000, undefined, { signal: options.signal })
  }
}
