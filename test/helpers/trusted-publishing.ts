/**
 * Stand-ins for what trusted publishing talks to, written from the public
 * documents (GitHub's "OpenID Connect" reference for the Actions ID-token
 * request, PyPI's "Trusted publishers" docs and warehouse's oidc views for
 * `/_/oidc/audience` and `/_/oidc/mint-token` with their error bodies):
 * - GitHub's ID-token endpoint: `GET ACTIONS_ID_TOKEN_REQUEST_URL&audience=…` with
 *   `Authorization: bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN` -> `{"count", "value": JWT}`, the JWT
 *   carrying `aud`, `repository`, `workflow_ref`, `environment` claims and an HMAC signature;
 * - an index origin in front of a real pypiserver: `/_/oidc/audience` -> `{"audience": "testpypi"}`
 *   (403 with `{"message": …}` when switched off), `POST /_/oidc/mint-token` `{"token"}` -> `{"success":
 *   true, "token": …}` for a JWT it can verify whose claims match the registered publisher (the token it
 *   mints is the one pypiserver's password file accepts), else 422 `{"message": "Token request failed",
 *   "errors": [{"code", "description"}]}`; every other request is passed to pypiserver as it came
 *   (twine's upload, pip's simple index).
 */
import { createHmac, randomBytes } from 'node:crypto'
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { close, listen, readBody } from './http-server.js'

export interface Publisher {
  repository: string
  workflow: string
  environment?: string
}

export interface OidcStandIn {
  /** ACTIONS_ID_TOKEN_REQUEST_URL, with its `?api-version=2.0` as GitHub gives it. */
  idTokenUrl: string
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  idRequestToken: string
  /** The index origin: upload here (`/`) and read the simple index (`/simple/`); `/_/oidc/*` is the exchange. */
  indexUrl: string
  /** The claims the next ID tokens carry (what the job is). */
  claims: { repository: string; workflow: string; environment?: string }
  /** The publisher registered on the index; undefined: none. */
  publisher: Publisher | undefined
  /** Trusted publishing switched off on the index (`/_/oidc/audience` answers 403). */
  disabled: boolean
  /** How many tokens it minted. */
  minted: number
  stop(): Promise<void>
}

export async function startOidcStandIn(options: { index: string; indexToken: string; audience?: string }): Promise<OidcStandIn> {
  const key = randomBytes(32)
  const audience = options.audience ?? 'testpypi'
  const upstream = new URL(options.index)
  const state: Omit<OidcStandIn, 'idTokenUrl' | 'indexUrl' | 'stop'> = {
    idRequestToken: `gh-req-${randomBytes(16).toString('hex')}`,
    claims: { repository: 'octo/sample', workflow: 'runts.yml', environment: 'release-prod' },
    publisher: { repository: 'octo/sample', workflow: 'runts.yml', environment: 'release-prod' },
    disabled: false,
    minted: 0,
  }
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const sign = (text: string) => createHmac('sha256', key).update(text).digest('base64url')

  const github = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (req.headers.authorization !== `bearer ${state.idRequestToken}`) return send(res, 401, { message: 'Unauthorized' })
    if (url.searchParams.get('api-version') !== '2.0') return send(res, 400, { message: 'api-version missing' })
    const aud = url.searchParams.get('audience') ?? 'https://github.com/octo'
    const { repository, workflow, environment } = state.claims
    const now = Math.floor(Date.now() / 1000)
    const payload = {
      iss: 'https://token.actions.githubusercontent.com',
      aud,
      sub: `repo:${repository}:environment:${environment ?? ''}`,
      repository,
      repository_owner: repository.split('/')[0],
      workflow_ref: `${repository}/.github/workflows/${workflow}@refs/heads/main`,
      ...(environment ? { environment } : {}),
      iat: now,
      exp: now + 300,
    }
    const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`
    send(res, 200, { count: 1, value: `${unsigned}.${sign(unsigned)}` })
  })

  const index = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname === '/_/oidc/audience') {
      if (state.disabled) return send(res, 403, { message: 'Trusted publishing functionality not enabled' })
      return send(res, 200, { audience })
    }
    if (url.pathname === '/_/oidc/mint-token' && req.method === 'POST') return mint(req, res)
    proxy(req, res)
  })

  async function mint(req: IncomingMessage, res: ServerResponse) {
    const invalid = (code: string, description: string) =>
      send(res, 422, { message: 'Token request failed', errors: [{ code, description }] })
    let token: unknown
    try {
      token = (JSON.parse((await readBody(req)).toString('utf8')) as { token?: unknown }).token
    } catch (error) {
      return invalid('invalid-payload', String(error))
    }
    if (typeof token !== 'string') return invalid('invalid-payload', '1 validation error for TokenPayload\ntoken\n  Field required')
    const [header, payload, signature] = token.split('.')
    if (!header || !payload || signature !== sign(`${header}.${payload}`)) return invalid('invalid-token', 'malformed or invalid token')
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
    if (claims.aud !== audience || Number(claims.exp) < Date.now() / 1000) return invalid('invalid-token', 'malformed or invalid token')
    const p = state.publisher
    const workflow = String(claims.workflow_ref ?? '')
      .replace(/^[^/]+\/[^/]+\/\.github\/workflows\//, '')
      .replace(/@.*$/, '')
    const why =
      p === undefined
        ? 'no trusted publishers registered'
        : claims.repository !== p.repository
          ? `Check failed for required claim 'repository'`
          : workflow !== p.workflow
            ? `The job_workflow_ref claim does not match, expecting one of ['${p.repository}/.github/workflows/${p.workflow}']`
            : p.environment !== undefined && claims.environment !== p.environment
              ? `Check failed for optional claim 'environment'`
              : undefined
    if (why)
      return invalid(
        'invalid-publisher',
        `valid token, but no corresponding publisher (Publisher with matching claims was not found: ${why})`,
      )
    state.minted++
    send(res, 200, { success: true, token: options.indexToken })
  }

  function proxy(req: IncomingMessage, res: ServerResponse) {
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    forward.on('error', () => send(res, 502, { message: 'upstream index unreachable' }))
    req.pipe(forward)
  }

  const githubUrl = await listen(github)
  const indexUrl = await listen(index)
  return Object.assign(state, {
    idTokenUrl: `${githubUrl}/_apis/distributedtask/hubs/build/plans/x/jobs/y/idtoken?api-version=2.0`,
    indexUrl: `${indexUrl}/`,
    stop: async () => {
      await Promise.all([close(github), close(index)])
    },
  })
}
