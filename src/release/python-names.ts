/**
 * Python package names and versions as the packaging PEPs spell them, so that
 * `My.Package 1.0-RC1` in pyproject.toml finds `my_package-1.0rc1.tar.gz` in
 * dist/ and `my-package` on an index.
 */

/** PEP 503: the name an index files a project under (`My.Package` -> `my-package`). */
export function normalizeName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase()
}

// PEP 440's own pattern (its appendix), anchored; case-insensitive.
const VERSION = new RegExp(
  '^\\s*v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?' +
    '(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?)' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$',
  'i',
)

const PRE: Record<string, string> = { alpha: 'a', a: 'a', beta: 'b', b: 'b', c: 'rc', pre: 'rc', preview: 'rc', rc: 'rc' }

/** PEP 440's normal form (`v1.0-RC1` -> `1.0rc1`, `1.0-1` -> `1.0.post1`); undefined when it is not a PEP 440 version. */
export function normalizeVersion(version: string): string | undefined {
  const m = VERSION.exec(version)?.groups
  if (!m) return undefined
  // BigInt: parts may be dates or longer; leading zeros go (`01` -> `1`).
  const number = (n: string | undefined) => String(BigInt(n ?? 0))
  let out = m.epoch && BigInt(m.epoch) !== 0n ? `${number(m.epoch)}!` : ''
  out += m.release!.split('.').map(number).join('.')
  if (m.pre) out += `${PRE[m.preL!.toLowerCase()]}${number(m.preN)}`
  if (m.post) out += `.post${number(m.postN1 ?? m.postN2)}`
  if (m.dev) out += `.dev${number(m.devN)}`
  if (m.local)
    out += `+${m.local
      .toLowerCase()
      .split(/[-_.]/)
      .map((p) => (/^\d+$/.test(p) ? number(p) : p))
      .join('.')}`
  return out
}
