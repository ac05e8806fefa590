/**
 * From a PEP 440 `requires-python` (`>=3.9, <3.13`, `~=3.10`, `==3.11.*`) to
 * the semver range `actions/setup-python` resolves (`>=3.9 <3.13`): commas
 * become spaces, `~=` and `.*` are spelled out, `!=` is dropped (a range
 * cannot skip one version; setup-python picks the newest that matches).
 */

/** The latest Python 3, for a project that does not say. */
export const ANY_PYTHON = '3.x'

/** A `python-version` for setup-python from `requires-python`. */
export function pythonVersionSpec(requiresPython: string | undefined): string {
  if (!requiresPython) return ANY_PYTHON
  const parts: string[] = []
  for (const clause of requiresPython.split(',')) {
    const match = /^\s*(~=|===|==|!=|>=|<=|>|<)?\s*([0-9][0-9a-z.*+!-]*)\s*$/i.exec(clause)
    if (!match) continue
    const [, op = '==', version] = match as unknown as [string, string | undefined, string]
    const converted = convert(op, version)
    if (converted) parts.push(converted)
  }
  return parts.length > 0 ? parts.join(' ') : ANY_PYTHON
}

function convert(op: string, version: string): string | undefined {
  if (op === '!=') return undefined
  if (op === '~=') return compatible(version)
  if (op === '==' || op === '===') return version.endsWith('.*') ? `${version.slice(0, -2)}.x` : version
  return `${op}${version}`
}

/** `~=3.10` is `>=3.10, ==3.*`; `~=3.10.2` is `>=3.10.2, ==3.10.*`. */
function compatible(version: string): string | undefined {
  const numbers = version.split('.')
  if (numbers.length < 2 || !numbers.every((n) => /^\d+$/.test(n))) return `>=${version}`
  const prefix = numbers.slice(0, -1)
  const upper = [...prefix.slice(0, -1), String(Number(prefix[prefix.length - 1]) + 1)]
  return `>=${version} <${upper.join('.')}`
}

/**
 * The newest stable Python minor (3.15 was released in October 2026), the cap of a test matrix, and the
 * oldest one still maintained (3.10 reached its end of life in October 2026), its floor when
 * `requires-python` gives no lower bound. Update both as Python releases come and go.
 */
export const NEWEST_PYTHON_MINOR = 15
export const OLDEST_MAINTAINED_MINOR = 11

/**
 * The Python 3 minors `requires-python` admits (`>=3.9, <3.13` -> 3.9 … 3.12), from its lower bound (or
 * the oldest maintained) to its upper bound, capped at the newest stable; `!=3.11.*` and `!=3.11` leave
 * one out. Undefined when there is no `requires-python` or it admits no Python 3 minor.
 */
export function supportedMinors(requiresPython: string | undefined): string[] | undefined {
  if (!requiresPython) return undefined
  const admits: Array<(minor: number) => boolean> = []
  for (const clause of requiresPython.split(',')) {
    const m = /^\s*(~=|===|==|!=|>=|<=|>|<)?\s*([0-9][0-9a-z.*+!-]*)\s*$/i.exec(clause)
    if (!m) continue
    const op = m[1] ?? '=='
    const parts = m[2]!.replace(/\.\*$/, '').split('.')
    const major = Number(parts[0])
    const minor = parts.length > 1 ? Number.parseInt(parts[1]!, 10) : undefined
    // A bound on another major: 3.x is above (>=2.7) or below (<4) it.
    const cmp = (x: number) => (major !== 3 ? (3 < major ? -1 : 1) : minor === undefined ? 0 : Math.sign(x - minor))
    // Below the minor level (`>3.9.1`, `<3.12.2`): that minor counts, as setup-python would pick a patch of it.
    const finer = parts.length > 2 || (minor !== undefined && /\.\*$/.test(m[2]!))
    const ops: Record<string, (x: number) => boolean> = {
      '>=': (x) => cmp(x) >= 0,
      '>': (x) => (finer ? cmp(x) >= 0 : cmp(x) > 0),
      '<=': (x) => cmp(x) <= 0,
      '<': (x) => (finer ? cmp(x) <= 0 : cmp(x) < 0),
      '==': (x) => cmp(x) === 0,
      '===': (x) => cmp(x) === 0,
      '~=': (x) => cmp(x) >= 0 && (parts.length > 2 ? cmp(x) === 0 : major === 3),
      '!=': (x) => (parts.length > 2 && !/\.\*$/.test(m[2]!) ? true : cmp(x) !== 0),
    }
    const test = ops[op]
    if (test) admits.push(test)
  }
  const out: string[] = []
  // The project's own bounds decide; with no lower bound on Python 3 (none, or >=2.7), the oldest maintained minor does.
  const hasLower = /(>=|>|~=|==|===)\s*3\.\d/.test(requiresPython)
  for (let minor = hasLower ? 0 : OLDEST_MAINTAINED_MINOR; minor <= NEWEST_PYTHON_MINOR; minor++) {
    if (admits.every((test) => test(minor))) out.push(`3.${minor}`)
  }
  return out.length > 0 ? out : undefined
}
