/** The one place that decides on colour. */
import { createColors } from 'picocolors'

export type Colors = ReturnType<typeof createColors>

export function useColor(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (env.NO_COLOR) return false
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false'
  if (env.TERM === 'dumb') return false
  return isTTY || env.GITHUB_ACTIONS === 'true'
}

export function colors(enabled: boolean): Colors {
  return createColors(enabled)
}
