/**
 * The live status line at the bottom of a run on a terminal: `[3/7] build, lint  12s`. Pure: the line
 * from the run's state, the escape sequences that draw and erase it, and when it is shown at all.
 * Output scrolls above it: erase the line, write the output, draw it again (status-writer.ts does that).
 */
import type { Colors } from './colors.js'

export interface StatusState {
  /** Tasks of the plan that have ended (ok, failed, up to date…); pipelines without `run` are not counted. */
  done: number
  total: number
  /** What runs now, in the order it started. */
  running: readonly string[]
  elapsedMs: number
  /** The terminal's width in columns. */
  width: number
}

/** Carriage return, then erase the whole line: the cursor is left at column 0 of an empty line. */
export const ERASE_LINE = '\r\x1b[2K'

/** The line, no longer than `width - 1` columns (a full last column makes some terminals wrap). */
export function statusLine(state: StatusState, c?: Colors): string {
  const room = Math.max(0, state.width - 1)
  const head = `[${state.done}/${state.total}]`
  const time = formatElapsed(state.elapsedMs)
  const fits = (names: string) => head.length + 1 + names.length + 2 + time.length <= room
  // As many running names as fit, the rest counted: `[3/9] build, lint +2  12s`.
  let shown = state.running.length
  const list = (n: number) => {
    const rest = state.running.length - n
    const names = state.running.slice(0, n).join(', ')
    return rest === 0 ? names : names ? `${names} +${rest}` : `+${rest}`
  }
  while (shown > 0 && !fits(list(shown))) shown--
  const names = list(shown)
  if (!fits(names)) return `${head} ${time}`.slice(0, room)
  const dim = c ? c.dim : (s: string) => s
  return `${head} ${names ? `${names}  ` : ' '}${dim(time)}`
}

/** The escape sequence that (re)draws the line: erase what is there, write the new line, no newline. */
export function drawStatus(line: string): string {
  return `${ERASE_LINE}${line}`
}

/**
 * What to write for some output while the line is shown: erase it, the output, and (when the output
 * ended its line) the line again; a partial line is left as it is until its end comes.
 */
export function aroundOutput(text: string, line: string): string {
  return `${ERASE_LINE}${text}${text.endsWith('\n') ? line : ''}`
}

/** `12s`, `1m05s`: whole seconds, so that the line does not flicker. */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(Math.max(0, ms) / 1000)
  if (seconds < 60) return `${seconds}s`
  const m = Math.floor(seconds / 60)
  return `${m}m${String(seconds % 60).padStart(2, '0')}s`
}

export interface StatusConditions {
  /** Is stderr, where the line is drawn, a terminal? */
  stderrIsTerminal: boolean
  env: Readonly<Record<string, string | undefined>>
  /** Tasks of the plan with a `run` of their own. */
  tasks: number
}

/**
 * Whether to show the line. On: stderr is a terminal, the plan has more than one task to run, and
 * none of these holds: CI (`CI` set and not false/0, or GitHub Actions), `TERM=dumb` (no cursor
 * control), `RUNTS_STATUS=0|false|off` (the way to turn it off). `NO_COLOR` does not turn it off: it
 * asks for no colour, and the line then has none. `--output grouped` keeps it: grouped output prints
 * nothing while tasks run, which is when the line helps most, and each group is written whole above it.
 */
export function showStatusLine({ stderrIsTerminal, env, tasks }: StatusConditions): boolean {
  const off = (v: string | undefined) => v !== undefined && /^(0|false|off|no)$/i.test(v.trim())
  const ci = (env.CI !== undefined && env.CI !== '' && !off(env.CI)) || env.GITHUB_ACTIONS === 'true'
  return stderrIsTerminal && tasks > 1 && !ci && env.TERM !== 'dumb' && !off(env.RUNTS_STATUS)
}
