/**
 * A stand-in for GitHub's REST API for releases, written from GitHub's public
 * documentation ("Releases" and "Release assets"), since api.github.com cannot
 * be reached here: on one port the API (get a release by tag name, create a
 * release, list release assets, get an asset with `Accept: application/octet-stream`,
 * which redirects to storage, delete an asset), on a second port the uploads
 * host (`upload_url`, an RFC 6570 template `…/assets{?name,label}`), as
 * uploads.github.com is separate. Bearer-token auth, GitHub's error bodies
 * (`{"message": …, "errors": [{resource, code, field}]}`), assets with their
 * `digest` (`sha256:…`) unless told to leave it out (older GitHub Enterprise).
 * `prefix: '/api/v3'` serves it as GitHub Enterprise Server does.
 */
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { close, listen, readBody } from './http-server.js'

export interface StandInAsset {
  id: number
  name: string
  bytes: Buffer
  contentType: string
  state: 'uploaded' | 'starter'
}

export interface StandInRelease {
  id: number
  tag_name: string
  name: string
  body: string
  prerelease: boolean
  target_commitish: string
  assets: StandInAsset[]
}

export interface GithubStandIn {
  /** GITHUB_API_URL: `http://127.0.0.1:PORT` (plus the prefix). */
  apiUrl: string
  /** The uploads host's origin. */
  uploadsOrigin: string
  token: string
  repository: string
  releases: StandInRelease[]
  /** Each request, `METHOD path` and whether it carried the token, in order. */
  log: Array<{ request: string; authorized: boolean }>
  /** An asset put there directly (a file someone uploaded by hand). */
  addAsset(tag: string, name: string, bytes: Buffer, state?: StandInAsset['state']): void
  stop(): Promise<void>
}

export interface GithubStandInOptions {
  /** `/api/v3` for GitHub Enterprise Server's layout. */
  prefix?: string
  /** Leave `digest` out of assets (GitHub Enterprise before it computed them): clients must read the bytes. */
  digests?: boolean
  repository?: string
}

const DOCS = 'https://docs.github.com/rest/releases'

export async function startGithubStandIn(options: GithubStandInOptions = {}): Promise<GithubStandIn> {
  const prefix = options.prefix ?? ''
  const repository = options.repository ?? 'octo/sample'
  const token = `ghs_${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 36)}`
  const releases: StandInRelease[] = []
  const log: GithubStandIn['log'] = []
  let nextId = 1
  let api = ''
  let uploads = ''

  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' })
    res.end(body === undefined ? undefined : JSON.stringify(body))
  }
  const authorized = (req: IncomingMessage) => req.headers.authorization === `Bearer ${token}`
  const assetJson = (a: StandInAsset) => ({
    id: a.id,
    url: `${api}${prefix}/repos/${repository}/releases/assets/${a.id}`,
    browser_download_url: `https://github.example.test/${repository}/releases/download/${a.name}`,
    name: a.name,
    label: '',
    state: a.state,
    content_type: a.contentType,
    size: a.bytes.length,
    ...(options.digests === false ? {} : { digest: `sha256:${createHash('sha256').update(a.bytes).digest('hex')}` }),
  })
  const releaseJson = (r: StandInRelease) => ({
    id: r.id,
    tag_name: r.tag_name,
    name: r.name,
    body: r.body,
    prerelease: r.prerelease,
    draft: false,
    target_commitish: r.target_commitish,
    html_url: `https://github.example.test/${repository}/releases/tag/${r.tag_name}`,
    upload_url: `${uploads}${prefix ? '/api/uploads' : ''}/repos/${repository}/releases/${r.id}/assets{?name,label}`,
    assets: r.assets.map(assetJson),
  })

  const apiServer = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', api)
    log.push({ request: `${req.method} ${url.pathname}${url.search}`, authorized: authorized(req) })
    if (!authorized(req)) return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' })
    const body = await readBody(req)
    const base = `${prefix}/repos/${repository}/releases`
    const path = url.pathname
    if (!path.startsWith(base)) return send(res, 404, { message: 'Not Found', documentation_url: DOCS })
    const rest = path.slice(base.length)
    const byTag = /^\/tags\/(.+)$/.exec(rest)
    const assetsOf = /^\/(\d+)\/assets$/.exec(rest)
    const oneAsset = /^\/assets\/(\d+)$/.exec(rest)
    if (req.method === 'GET' && byTag) {
      const release = releases.find((r) => r.tag_name === decodeURIComponent(byTag[1]!))
      return release ? send(res, 200, releaseJson(release)) : send(res, 404, { message: 'Not Found', documentation_url: DOCS })
    }
    if (req.method === 'POST' && rest === '') {
      let input: { tag_name?: unknown; name?: string; body?: string; prerelease?: boolean; target_commitish?: string }
      try {
        input = JSON.parse(body.toString('utf8'))
      } catch {
        return send(res, 400, { message: 'Problems parsing JSON', documentation_url: DOCS })
      }
      if (typeof input.tag_name !== 'string') {
        return send(res, 422, { message: 'Validation Failed', errors: [{ resource: 'Release', code: 'missing_field', field: 'tag_name' }] })
      }
      if (releases.some((r) => r.tag_name === input.tag_name)) {
        return send(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
        })
      }
      const release: StandInRelease = {
        id: nextId++,
        tag_name: input.tag_name,
        name: input.name ?? input.tag_name,
        body: input.body ?? '',
        prerelease: input.prerelease === true,
        target_commitish: input.target_commitish ?? 'main',
        assets: [],
      }
      releases.push(release)
      return send(res, 201, releaseJson(release))
    }
    if (req.method === 'GET' && assetsOf) {
      const release = releases.find((r) => r.id === Number(assetsOf[1]))
      if (!release) return send(res, 404, { message: 'Not Found', documentation_url: DOCS })
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100)
      const page = Number(url.searchParams.get('page') ?? 1)
      return send(res, 200, release.assets.slice((page - 1) * perPage, page * perPage).map(assetJson))
    }
    if (oneAsset) {
      const id = Number(oneAsset[1])
      const owner = releases.find((r) => r.assets.some((a) => a.id === id))
      const asset = owner?.assets.find((a) => a.id === id)
      if (!owner || !asset) return send(res, 404, { message: 'Not Found', documentation_url: DOCS })
      if (req.method === 'DELETE') {
        owner.assets.splice(owner.assets.indexOf(asset), 1)
        return send(res, 204)
      }
      if (req.method === 'GET' && req.headers.accept === 'application/octet-stream') {
        // As GitHub: a redirect to the storage host, which must not be sent the token.
        res.writeHead(302, { location: `${uploads}/storage/${asset.id}` })
        return res.end()
      }
      if (req.method === 'GET') return send(res, 200, assetJson(asset))
    }
    return send(res, 404, { message: 'Not Found', documentation_url: DOCS })
  })

  const uploadServer = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', uploads)
    log.push({
      request: `${req.method} ${uploads === url.origin ? 'uploads' : ''}${url.pathname}${url.search}`,
      authorized: authorized(req),
    })
    const body = await readBody(req)
    const stored = /^\/storage\/(\d+)$/.exec(url.pathname)
    if (req.method === 'GET' && stored) {
      // Storage answers anyone with the signed URL; a token sent here would have leaked.
      if (req.headers.authorization) return send(res, 400, { message: 'Only one auth mechanism allowed' })
      const asset = releases.flatMap((r) => r.assets).find((a) => a.id === Number(stored[1]))
      if (!asset) return send(res, 404, { message: 'Not Found' })
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': asset.bytes.length })
      return res.end(asset.bytes)
    }
    if (!authorized(req)) return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' })
    const path = url.pathname.replace(/^\/api\/uploads/, '')
    const upload = new RegExp(`^/repos/${repository}/releases/(\\d+)/assets$`).exec(path)
    if (req.method === 'POST' && upload) {
      const release = releases.find((r) => r.id === Number(upload[1]))
      const name = url.searchParams.get('name')
      if (!release) return send(res, 404, { message: 'Not Found', documentation_url: DOCS })
      if (!name)
        return send(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'ReleaseAsset', code: 'missing_field', field: 'name' }],
        })
      if (!req.headers['content-type'])
        return send(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'ReleaseAsset', code: 'missing_field', field: 'content_type' }],
        })
      if (release.assets.some((a) => a.name === name)) {
        return send(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }],
        })
      }
      const asset: StandInAsset = { id: nextId++, name, bytes: body, contentType: req.headers['content-type'], state: 'uploaded' }
      release.assets.push(asset)
      return send(res, 201, assetJson(asset))
    }
    return send(res, 404, { message: 'Not Found', documentation_url: DOCS })
  })

  api = `${await listen(apiServer)}`
  uploads = await listen(uploadServer)
  return {
    apiUrl: `${api}${prefix}`,
    uploadsOrigin: uploads,
    token,
    repository,
    releases,
    log,
    addAsset(tag, name, bytes, state = 'uploaded') {
      const release = releases.find((r) => r.tag_name === tag)
      if (!release) throw new Error(`no release ${tag}`)
      release.assets.push({ id: nextId++, name, bytes, contentType: 'application/octet-stream', state })
    },
    stop: async () => {
      await Promise.all([close(apiServer), close(uploadServer)])
    },
  }
}
