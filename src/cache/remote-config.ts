/**
 * The shared cache's settings, from the environment (after `.env` loading):
 * `RUNTS_REMOTE_CACHE_URL`, `RUNTS_REMOTE_CACHE_TOKEN`, `RUNTS_REMOTE_CACHE_TEAM`,
 * `RUNTS_REMOTE_CACHE_SIGNATURE_KEY`, `RUNTS_REMOTE_CACHE_TIMEOUT` (seconds
 * a silent server is waited for) and `RUNTS_REMOTE_CACHE_MAX_MB` (the largest
 * artifact sent or taken, packed or unpacked, in MiB). Pure.
 */

/** The shared cache's settings. */
export interface RemoteConfig {
  /** The server's base URL (Vercel's `https://api.vercel.com`, or a self-hosted one). */
  url: URL
  /** The URL as it may be shown: no credentials, no query. */
  shown: string
  token?: string
  /** Sent as Turborepo sends it: a team id (`team_…`) as `teamId`, anything else as `slug`. */
  team?: { param: 'teamId' | 'slug'; value: string }
  signatureKey?: string
  /** How long the server may stay silent (connecting, answering, sending) before it counts as down. */
  timeoutMs: number
  /** The largest artifact sent or taken, in bytes: its body, and what it unpacks to. */
  maxBytes: number
}

/** How long a silent server is waited for, by default. */
export const DEFAULT_REMOTE_TIMEOUT_MS = 5000
/** The largest artifact, by default (MiB): the local store's own size. */
export const DEFAULT_MAX_MB = 1024

/** The settings, `undefined` when no shared cache is set up, or a problem to warn about. */
export function remoteConfig(
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs = DEFAULT_REMOTE_TIMEOUT_MS,
): RemoteConfig | { problem: string } | undefined {
  const raw = env.RUNTS_REMOTE_CACHE_URL?.trim()
  if (!raw) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { problem: 'RUNTS_REMOTE_CACHE_URL is not a URL (like https://cache.example.com); the shared cache is not used' }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `RUNTS_REMOTE_CACHE_URL must be an http:// or https:// URL, not ${url.protocol}; the shared cache is not used` }
  }
  const seconds = env.RUNTS_REMOTE_CACHE_TIMEOUT?.trim()
  if (seconds) {
    const value = Number(seconds)
    if (!(value > 0 && value <= 600)) {
      return {
        problem: `RUNTS_REMOTE_CACHE_TIMEOUT must be a number of seconds (above 0, at most 600), not ${JSON.stringify(seconds)}; the shared cache is not used`,
      }
    }
    timeoutMs = value * 1000
  }
  let maxMb = DEFAULT_MAX_MB
  const mb = env.RUNTS_REMOTE_CACHE_MAX_MB?.trim()
  if (mb) {
    maxMb = Number(mb)
    if (!(maxMb > 0 && maxMb <= 1024 * 1024)) {
      return {
        problem: `RUNTS_REMOTE_CACHE_MAX_MB must be a number of MiB (above 0), not ${JSON.stringify(mb)}; the shared cache is not used`,
      }
    }
  }
  const team = env.RUNTS_REMOTE_CACHE_TEAM?.trim()
  return {
    url,
    shown: `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`,
    token: env.RUNTS_REMOTE_CACHE_TOKEN || undefined,
    team: team ? { param: team.startsWith('team_') ? 'teamId' : 'slug', value: team } : undefined,
    signatureKey: env.RUNTS_REMOTE_CACHE_SIGNATURE_KEY || undefined,
    timeoutMs,
    maxBytes: Math.floor(maxMb * 1024 * 1024),
  }
}

/** The team id that signatures cover: Turborepo signs with the id, and with nothing for a slug. */
export function signingTeam(config: RemoteConfig): string {
  return config.team?.param === 'teamId' ? config.team.value : ''
}
