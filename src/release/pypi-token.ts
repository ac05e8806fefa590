/**
 * The check of a PyPI API token before anything runs. A token is `pypi-`
 * and a macaroon whose location is the site that made it: a TestPyPI token
 * given for PyPI (the usual mix-up: two sites, two accounts, two tokens)
 * is refused here, not by the server after the test upload went through.
 * Its caveats say until when and for which projects it may upload. Tokens
 * of a self-hosted index are not checked: their form is the index's own.
 */
import { type Check, type CheckContext, describedAs, projectRoot } from './check.js'
import { pypiTokenDescription, redact } from './describe.js'
import { readMacaroon } from './macaroon.js'
import { readProject } from './project.js'
import { normalizeName } from './python-names.js'

/** The site (`pypi.org`, `test.pypi.org`) whose tokens an upload URL takes; undefined for any other index. */
export function pypiSite(uploadUrl: string): 'pypi.org' | 'test.pypi.org' | undefined {
  let host: string
  try {
    host = new URL(uploadUrl).hostname.toLowerCase()
  } catch {
    return undefined
  }
  if (host === 'upload.pypi.org' || host === 'pypi.org') return 'pypi.org'
  if (host === 'test.pypi.org') return 'test.pypi.org'
  return undefined
}

export interface TokenFacts {
  /** The variable that holds the token, for messages (its value is never shown). */
  variable: string
  token: string | undefined
  /** Where it uploads to. */
  uploadUrl: string
  /** The project being released (normalized or not), to check a project-scoped token. */
  project?: string
  now?: Date
}

/** What is wrong with a token for this upload URL (pure); undefined when nothing is, or it cannot be known. */
export function pypiTokenProblem({ variable, token, uploadUrl, project, now = new Date() }: TokenFacts): string | undefined {
  const site = pypiSite(uploadUrl)
  if (site === undefined || !token) return undefined
  const make = `make one at https://${site}/manage/account/token/ and put it in ${variable}`
  if (!token.startsWith('pypi-')) return `${variable} is not a ${siteName(site)} API token (those start with pypi-): ${make}`
  const macaroon = readMacaroon(token.slice('pypi-'.length))
  if (macaroon === undefined)
    return `${variable} starts with pypi- but is not a whole API token (cut short when it was copied?): copy it again, or ${make}`
  const made = hostOf(macaroon.location)
  if (made !== site) {
    return (
      `${variable} is a token made on ${made || 'an unknown site'}, but it is given for ${site} (${redact(uploadUrl)}): ` +
      `TestPyPI and PyPI are separate sites, with separate accounts and tokens; ${make}`
    )
  }
  for (const caveat of macaroon.caveats) {
    const problem = caveatProblem(caveat, variable, project, now)
    if (problem) return `${problem}; ${make}`
  }
  return undefined
}

/** A check: the token in `tokenVar` was made by the site `uploadVar` uploads to (default `defaultUpload`). */
export function pypiToken(tokenVar: string, uploadVar: string, defaultUpload: string): Check {
  return describedAs(pypiTokenDescription(tokenVar), async (context?: CheckContext) => {
    const vars = context?.env ?? process.env
    const uploadUrl = vars[uploadVar] || defaultUpload
    const token = vars[tokenVar]
    if (!token || pypiSite(uploadUrl) === undefined) return undefined
    const project = await readProject(projectRoot(context), 'python').then(
      (p) => p.name,
      () => undefined,
    )
    return pypiTokenProblem({ variable: tokenVar, token, uploadUrl, project })
  })
}

function siteName(site: string): string {
  return site === 'pypi.org' ? 'PyPI' : 'TestPyPI'
}

/** `pypi.org` from `pypi.org`, `https://pypi.org/`, `PyPI.org`. */
function hostOf(location: string): string {
  try {
    return new URL(location).hostname.toLowerCase()
  } catch {
    return location.trim().toLowerCase()
  }
}

/**
 * Warehouse's caveats: `[0, expires_at, not_before]`, `[1, [project names]]`, and the older
 * `{"version": 1, "permissions": {"projects": [...]}}`. Others (project ids, a user) say nothing runts can check.
 */
function caveatProblem(caveat: string, variable: string, project: string | undefined, now: Date): string | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(caveat)
  } catch {
    return undefined
  }
  const seconds = now.getTime() / 1000
  if (Array.isArray(parsed) && parsed[0] === 0 && typeof parsed[1] === 'number') {
    const [, expires, notBefore] = parsed as [0, number, number?]
    if (seconds >= expires) return `${variable} expired on ${new Date(expires * 1000).toISOString()}`
    if (typeof notBefore === 'number' && seconds < notBefore)
      return `${variable} is valid only from ${new Date(notBefore * 1000).toISOString()}`
  }
  const projects = Array.isArray(parsed) && parsed[0] === 1 && Array.isArray(parsed[1]) ? parsed[1] : legacyProjects(parsed)
  if (projects && project !== undefined) {
    const names = projects.filter((p): p is string => typeof p === 'string')
    if (!names.some((n) => normalizeName(n) === normalizeName(project))) {
      return `${variable} may upload only to ${names.join(', ') || 'no project'}, not to ${project}`
    }
  }
  return undefined
}

function legacyProjects(parsed: unknown): unknown[] | undefined {
  const permissions = (parsed as { permissions?: unknown } | null)?.permissions
  const projects = (permissions as { projects?: unknown } | null | undefined)?.projects
  return Array.isArray(projects) ? projects : undefined
}
