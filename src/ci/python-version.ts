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
