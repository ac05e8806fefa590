/**
 * `run publish:github`: the GitHub release of the tag `v<version>`, its notes
 * the version's CHANGELOG.md section, its assets the files published, byte
 * for byte. Safe to run again: a release that exists gets the assets it lacks;
 * an asset of the same name with other bytes is an error, never replaced; an
 * upload that never finished (state `starter`) is deleted and made again.
 */
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, openAsBlob, readFileSync } from 'node:fs'
import path from 'node:path'
import { CHANGELOG_FILE, sectionOf } from './changelog.js'
import { type CheckContext, projectRoot, taskEnv } from './check.js'
import { git } from './git.js'
import { type GithubApi as Api, GITHUB_API, GithubApi, type GithubAsset, type GithubRelease } from './github-api.js'
import { readRelease } from './read-release.js'
import { parseVersion } from './versions.js'

export interface GithubReleaseOptions {
  /** The files to attach: the very files published (absolute, or from the project root). */
  files: readonly string[]
  /** The tag; `v<version>` of the project by default. */
  tag?: string
  /** The release's notes; the version's CHANGELOG.md section by default. */
  notes?: string
  /** `owner/name`; GITHUB_REPOSITORY, else the `origin` remote's. */
  repository?: string
  /** GITHUB_TOKEN by default. */
  token?: string
  /** GITHUB_API_URL, else https://api.github.com. */
  apiUrl?: string
  /** Which project file holds the version when both are there. */
  kind?: 'python' | 'npm'
  cwd?: string
  signal?: AbortSignal
}

export interface GithubReleaseResult {
  tag: string
  url?: string
  uploaded: string[]
  present: string[]
}

/** Makes (or completes) the GitHub release of the tag with these files; prints what it did. */
export async function githubRelease(options: GithubReleaseOptions, context?: CheckContext): Promise<GithubReleaseResult> {
  const cwd = options.cwd ?? projectRoot(context)
  const env = taskEnv(context)
  const signal = options.signal ?? context?.signal
  const token = options.token ?? env.GITHUB_TOKEN
  if (!token) throw new Error('GITHUB_TOKEN is not set: give a token that may write releases (in CI: the run’s own, with contents: write)')
  const repository = options.repository ?? env.GITHUB_REPOSITORY ?? (await originRepository(cwd, signal))
  const api = options.apiUrl ?? (env.GITHUB_API_URL || GITHUB_API)
  const release = options.tag === undefined ? await readRelease({ cwd, kind: options.kind, signal }) : undefined
  const tag = options.tag ?? `v${release!.version}`
  const files = options.files.map((file) => path.resolve(cwd, file))
  if (files.length === 0) throw new Error(`no files to attach to the release ${tag}: build and publish first`)
  const local = await Promise.all(files.map(async (file) => ({ file, name: path.basename(file), sha256: await sha256File(file) })))
  const github = new GithubApi({ api, repository, token, signal })

  let existing = await github.releaseByTag(tag)
  if (existing === undefined) {
    const commit = await git(['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`], cwd, signal).catch(() => '')
    if (!commit.trim()) throw new Error(`there is no tag ${tag} here: make the release first (run version), and push the tag`)
    const version = parseVersion(tag)
    const created = await github.createRelease({
      tag_name: tag,
      // Where GitHub makes the tag if it lacks it: the commit tagged here (never the default branch's head).
      target_commitish: commit.trim(),
      name: tag,
      body: options.notes ?? notesOf(cwd, tag),
      prerelease: version !== undefined && version.prerelease.length > 0,
    })
    // Another run made it meanwhile: use that one.
    existing = created === 'exists' ? await github.releaseByTag(tag) : created
    if (existing === undefined) throw new Error(`GitHub says the release ${tag} exists, and then that it does not: try again`)
  }

  const assets = await github.assets(existing)
  const uploaded: string[] = []
  const present: string[] = []
  for (const file of local) {
    const asset = assets.find((a) => a.name === file.name)
    if (asset && asset.state !== undefined && asset.state !== 'uploaded') await github.deleteAsset(asset)
    else if (asset) {
      const digest = await assetDigest(github, asset)
      if (digest !== file.sha256) {
        throw new Error(
          `the release ${tag} has an asset ${file.name} with other bytes (sha256 ${digest}) than the one here (sha256 ${file.sha256}): ` +
            'a release never gets a file that only shares a name; find out which one was published, and delete the wrong asset on GitHub if it is that one',
        )
      }
      present.push(file.name)
      continue
    }
    const made = await github.upload(existing, file.name, await openAsBlob(file.file), contentType(file.name))
    if (made.name !== file.name) throw new Error(`GitHub stored ${file.name} as ${made.name}: rename the file to a name GitHub keeps`)
    const digest = made.digest?.replace(/^sha256:/, '')
    if (digest && digest !== file.sha256)
      throw new Error(`GitHub stored ${file.name} with another sha256 (${digest}) than sent (${file.sha256})`)
    uploaded.push(file.name)
  }
  const where = existing.html_url ?? `${repository} ${tag}`
  const said = [
    uploaded.length > 0 ? `uploaded ${uploaded.join(', ')}` : '',
    present.length > 0 ? `already there: ${present.join(', ')}` : '',
  ]
  console.log(`GitHub release ${tag} (${where}): ${said.filter(Boolean).join('; ')}`)
  return { tag, url: existing.html_url, uploaded, present }
}

/** The release notes: the tag's version's CHANGELOG.md section, or a line saying there is none. */
function notesOf(cwd: string, tag: string): string {
  const file = path.join(cwd, CHANGELOG_FILE)
  const version = tag.replace(/^v/, '')
  const section = existsSync(file) ? sectionOf(readFileSync(file, 'utf8'), version) : undefined
  return section ?? `Release ${tag}.`
}

/** An asset's sha256: the digest GitHub gives, else its bytes hashed as they are read. */
async function assetDigest(github: Api, asset: GithubAsset): Promise<string> {
  const given = asset.digest?.startsWith('sha256:') ? asset.digest.slice('sha256:'.length) : undefined
  if (given) return given
  const hash = createHash('sha256')
  await github.download(asset, (chunk) => hash.update(chunk))
  return hash.digest('hex')
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(file)
      .on('error', (error) => reject(new Error(`cannot read ${file}: ${error.message}`)))
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
  })
}

function contentType(name: string): string {
  if (name.endsWith('.whl') || name.endsWith('.zip')) return 'application/zip'
  if (name.endsWith('.tar.gz') || name.endsWith('.tgz')) return 'application/gzip'
  return 'application/octet-stream'
}

/** `owner/name` of the `origin` remote (https, ssh or scp-like URL). */
export async function originRepository(cwd: string, signal?: AbortSignal): Promise<string> {
  const url = (await git(['remote', 'get-url', 'origin'], cwd, signal).catch(() => '')).trim()
  const m = /^(?:[a-z+]+:\/\/(?:[^@/]+@)?[^/]+\/|[^@/]+@[^:/]+:)([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url)
  if (!m) {
    throw new Error(
      url
        ? `cannot tell the GitHub repository from origin (${url.includes('@') ? 'a URL with a user in it' : url}): set GITHUB_REPOSITORY=owner/name`
        : 'no origin remote: set GITHUB_REPOSITORY=owner/name',
    )
  }
  return `${m[1]}/${m[2]}`
}

export type { GithubRelease }
