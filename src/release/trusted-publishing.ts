/**
 * PyPI's trusted publishing, as its documentation and pypa/gh-action-pypi-publish
 * do it: under GitHub Actions, with `id-token: write`, a short-lived upload
 * token instead of a stored one.
 * 1. `GET {index origin}/_/oidc/audience` -> `{"audience": "pypi"}` (403: the
 *    index has it switched off; 404: it has none);
 * 2. the job's ID token for that audience: `GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=…`
 *    with `Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN` -> `{"value": JWT}`;
 * 3. `POST {index origin}/_/oidc/mint-token` `{"token": JWT}` -> `{"success": true, "token": "pypi-…"}`,
 *    or 422 `{"message": "Token request failed", "errors": [{"code", "description"}]}`.
 * twine's own trusted publishing talks to pypi.org over https only, so runts mints, and hands twine the
 * token as its password. The minted token is masked from the moment it exists.
 */
import { addSecret } from '../api/context.js'
import { type CheckContext, taskEnv } from './check.js'
import { redact } from './describe.js'
import { json, request } from './rest.js'

export interface UploadTokenOptions {
  /** Where the upload goes (twine's repository URL): its origin runs the exchange. */
  uploadUrl: string
  /** The variable the token would be in, for messages: `PYPI_TOKEN`. */
  variable?: string
  signal?: AbortSignal
}

/** Can this job mint a token (GitHub Actions, with `id-token: write`)? */
export function canMintToken(env: Record<string, string | undefined>): boolean {
  return env.GITHUB_ACTIONS === 'true' && Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL) && Boolean(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN)
}

/**
 * The password for an upload: `token` when it is set; else, under GitHub Actions with `id-token: write`,
 * one minted by the index's trusted-publishing exchange. Throws, saying how to give one, otherwise.
 */
export async function uploadToken(token: string | undefined, options: UploadTokenOptions, context?: CheckContext): Promise<string> {
  if (token) return token
  const env = taskEnv(context)
  if (canMintToken(env)) return mintToken(options, context)
  throw new Error(missingTokenMessage(options.variable ?? 'the token variable', env))
}

/** A check for `preflight`: the token variable is set, or this job can mint one. */
export function tokenOrTrustedPublishing(variable: string) {
  const check = (context?: CheckContext) => {
    const env = taskEnv(context)
    return env[variable] || canMintToken(env) ? undefined : missingTokenMessage(variable, env)
  }
  Object.defineProperty(check, 'name', { value: `${variable} is set, or trusted publishing can mint one` })
  return check
}

function missingTokenMessage(variable: string, env: Record<string, string | undefined>): string {
  if (env.GITHUB_ACTIONS === 'true') {
    return (
      `${variable} is not set, and this job cannot use trusted publishing (no ACTIONS_ID_TOKEN_REQUEST_URL): ` +
      'give the job permissions: id-token: write and register it as a trusted publisher on the index, or set the secret'
    )
  }
  return `${variable} is not set: put the index's token in .env (trusted publishing works only in GitHub Actions)`
}

/** Runs the exchange against the origin of `uploadUrl`; the index's reasons are in the error when it refuses. */
export async function mintToken(options: UploadTokenOptions, context?: CheckContext): Promise<string> {
  const env = taskEnv(context)
  const signal = options.signal ?? context?.signal
  const origin = new URL(options.uploadUrl).origin
  const failed = (why: string) => new Error(`trusted publishing to ${origin} failed: ${why}`)

  const audienceAnswer = await request(`${origin}/_/oidc/audience`, { signal, maxBytes: 64 * 1024 })
  if (audienceAnswer.status === 403)
    throw failed(
      `the index has trusted publishing switched off (${said(audienceAnswer.text) || 'HTTP 403'}): set ${options.variable ?? 'the token'} instead`,
    )
  if (audienceAnswer.status === 404)
    throw failed(`the index does not offer trusted publishing (no /_/oidc/audience): set ${options.variable ?? 'the token'} instead`)
  if (audienceAnswer.status !== 200) throw failed(`/_/oidc/audience answered HTTP ${audienceAnswer.status}`)
  const audience = json<{ audience?: unknown }>(audienceAnswer).audience
  if (typeof audience !== 'string' || audience === '') throw failed('/_/oidc/audience gave no audience')

  const idUrl = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL!)
  idUrl.searchParams.set('audience', audience)
  const idAnswer = await request(idUrl.href, {
    headers: { authorization: `bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}`, accept: 'application/json' },
    signal,
    maxBytes: 256 * 1024,
  })
  if (idAnswer.status !== 200) {
    throw failed(
      `GitHub did not give the job an ID token (HTTP ${idAnswer.status}${said(idAnswer.text) ? `: ${said(idAnswer.text)}` : ''}): the job needs permissions: id-token: write`,
    )
  }
  const idToken = json<{ value?: unknown }>(idAnswer).value
  if (typeof idToken !== 'string' || idToken === '') throw failed(`GitHub's ID-token answer (${redact(idUrl.href)}) has no value`)
  addSecret(idToken)

  const mintAnswer = await request(`${origin}/_/oidc/mint-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ token: idToken }),
    signal,
    maxBytes: 256 * 1024,
  })
  let minted: { token?: unknown; message?: unknown; errors?: Array<{ code?: unknown; description?: unknown }> }
  try {
    minted = JSON.parse(mintAnswer.text)
  } catch {
    throw failed(`the index answered HTTP ${mintAnswer.status} to the token request, not with JSON: wait a few minutes and try again`)
  }
  if (mintAnswer.status !== 200) {
    const reasons = (Array.isArray(minted.errors) ? minted.errors : [])
      .map((e) => `\n  * ${String(e.code)}: ${String(e.description)}`)
      .join('')
    const register = ' (a trusted publisher on the index names this repository, the workflow file and the environment)'
    throw failed(
      `the index refused the token request (HTTP ${mintAnswer.status}${typeof minted.message === 'string' ? `, ${minted.message}` : ''})${reasons || '.'}${register}`,
    )
  }
  if (typeof minted.token !== 'string' || minted.token === '')
    throw failed('the index answered without a token: wait a few minutes and try again')
  addSecret(minted.token)
  console.log(`trusted publishing: minted a short-lived upload token for ${origin}`)
  return minted.token
}

/** What an error body says, in one short line: its `message`, else its text. */
function said(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown }
    if (typeof body.message === 'string') return body.message.slice(0, 200)
  } catch {
    // not JSON
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200)
}
