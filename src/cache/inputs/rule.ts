/**
 * One glob pattern, ready to test paths against. The common patterns, a plain
 * name or `folder/**`, are a prefix to compare; only the others load
 * picomatch and become its regular expression (with dot files matched).
 */
import { createRequire } from 'node:module'
import type picomatchType from 'picomatch'

let picomatch: typeof picomatchType | undefined
const pm = () => {
  picomatch ??= createRequire(import.meta.url)('picomatch') as typeof picomatchType
  return picomatch
}

/** A pattern as a base and, when it needs one, an expression. */
export interface Rule {
  /** The part before any glob character: a folder (or file) name, '' for the root. */
  base: string
  /** `base/`, or '' for the root. */
  prefix: string
  /** Absent when everything at or under `base` matches. */
  re?: RegExp
  /** It names `.git/` or `node_modules/`: only such rules match in there. */
  hidden: boolean
}

/** `**`, or a name with no glob character, optionally followed by `/**`. */
const SIMPLE = /^(?:\*\*|([^*?[\]{}()!+@\\]+?)(?:\/\*\*)?)$/
const NAMES_HIDDEN = /(^|\/)(node_modules|\.git)(\/|$)/

/** The rule for one pattern (without its `!`), relative to the project root. */
export function rule(raw: string): Rule {
  const pattern = normalize(raw)
  const simple = SIMPLE.exec(pattern)
  let base: string
  let re: RegExp | undefined
  if (simple) base = simple[1] ?? ''
  else {
    base = pm().scan(pattern).base
    re = pm().makeRe(pattern, { dot: true })
  }
  return { base, prefix: base === '' ? '' : `${base}/`, re, hidden: NAMES_HIDDEN.test(pattern) }
}

/** Whether the rule matches a path relative to the root. */
export function matches(rule: Rule, file: string): boolean {
  if (rule.re) return rule.re.test(file)
  return file.startsWith(rule.prefix) || file === rule.base
}

/** Whether any rule matches; `hiddenOnly`: only rules that name `.git/` or `node_modules/` count. A loop, not a closure: it runs per file. */
export function anyMatches(rules: readonly Rule[], file: string, hiddenOnly = false): boolean {
  for (const r of rules) if ((!hiddenOnly || r.hidden) && matches(r, file)) return true
  return false
}

/** Whether `rule` matches every file at or under folder `dir` (a prefix rule at or above it). */
export function covers(rule: Rule, dir: string): boolean {
  return !rule.re && (rule.base === '' || dir === rule.base || dir.startsWith(rule.prefix))
}

/** Whether `rule` may match something at or under folder `dir` ('' for the root). */
export function reachesUnder(rule: Rule, dir: string): boolean {
  if (rule.re || dir === '' || rule.base === '') return true
  return rule.base === dir || rule.base.startsWith(`${dir}/`) || dir.startsWith(rule.prefix)
}

function normalize(pattern: string): string {
  let p = pattern.trim()
  while (p.startsWith('./')) p = p.slice(2)
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p
}
