/**
 * What each shipped check says it checks (shown by `run --dry-run`), kept
 * apart from the checks themselves so that the lazy exports of 'runts' can
 * name a check without loading it.
 */

/** The URL as it may be shown: no user, password, query or fragment. */
export function redact(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return '(an invalid URL)'
  }
}

export const GIT_CLEAN = 'the git working tree is clean'

export function tagDescription(version: string | undefined): string {
  return version === undefined ? 'HEAD carries the version tag' : `HEAD carries the tag v${version}`
}

export function notPublishedDescription(target: { registry?: string; index?: string } | (() => unknown)): string {
  const url = typeof target === 'function' ? undefined : (target.registry ?? target.index)
  const where = url ? redact(url) : typeof target === 'function' ? 'the registry' : 'the default registry'
  return `the version is not on ${where} yet`
}

export function pypiTokenDescription(variable: string): string {
  return `${variable} is a token of the site it uploads to`
}

export function npmTokenDescription(tokenVar: string, registryVar: string): string {
  return `${registryVar} takes ${tokenVar} (npm whoami)`
}
