/**
 * The check of an npm token before anything runs, as `npm whoami` makes it
 * (`GET /-/whoami` on the registry, the token as a bearer): a token the
 * registry does not take is found before the test publish, not after it.
 */
import { type Check, describedAs } from './check.js'
import { npmTokenDescription } from './describe.js'
import { get, redact } from './http.js'

/** Who the registry says the token is; throws saying what is wrong with it. */
export async function npmWhoami(
  registry: string,
  token: string,
  variable = 'the token',
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
) {
  const url = `${registry.replace(/\/?$/, '/')}-/whoami`
  const response = await get(url, { ...options, bearer: token, headers: { accept: 'application/json' } })
  const refused = (why: string) =>
    new Error(
      `${redact(registry)} does not take ${variable} (npm whoami: ${why}): it is wrong, expired or for another registry; make a new one and put it in ${variable}`,
    )
  if (response.status === 401 || response.status === 403) throw refused(`HTTP ${response.status}`)
  if (response.status !== 200) throw new Error(`${redact(registry)} answered HTTP ${response.status} to npm whoami for ${variable}`)
  let username: unknown
  try {
    username = (JSON.parse(response.text) as { username?: unknown }).username
  } catch {
    username = undefined
  }
  // A registry may answer an unknown token as it answers no token: 200 and no user (verdaccio does). npm whoami says "not logged in".
  if (typeof username !== 'string' || username === '') throw refused('no user for it')
  return username
}

/** A check: the registry in `registryVar` takes the token in `tokenVar` (skipped while either is unset: the variables check names them). */
export function npmToken(tokenVar: string, registryVar: string): Check {
  return describedAs(npmTokenDescription(tokenVar, registryVar), async (context) => {
    const vars = context?.env ?? process.env
    const registry = vars[registryVar]
    const token = vars[tokenVar]
    if (!registry || !token) return undefined
    await npmWhoami(registry, token, tokenVar, { signal: context?.signal })
    return undefined
  })
}
