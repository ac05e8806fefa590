/**
 * Which way a TypeScript tasks file is turned into JavaScript on this Node: by Node's own type
 * stripping (`native`), or by esbuild with its build cached in node_modules/.cache/runts (`esbuild`).
 * One decision, by measurement (BENCHMARKS.md, "TypeScript on Node 20, 22 and 24"): Node 20 cannot
 * strip types; Node 22 strips them in about 40 ms on every run (its compile cache does not keep the
 * result), where importing esbuild's cached build takes about 5; Node 24 keeps the stripped module in
 * its compile cache, and importing it costs less than checking and importing esbuild's build.
 */

export type TypeScriptPath = 'native' | 'esbuild'

export interface NodeFacts {
  /** `process.versions.node`. */
  version: string
  /** Node strips types itself (`process.features.typescript`, set from 22.18 and 23.6). */
  strips: boolean
  /** `RUNTS_TYPESCRIPT=native|esbuild`: one way forced, for benchmarks and tests. */
  forced?: string
}

/** The first Node major whose compile cache keeps the stripped module (measured: 22 does not, 24 does). */
const CACHES_STRIPPED = 24

export function typeScriptPath(node: NodeFacts): TypeScriptPath {
  if (node.forced === 'esbuild' || !node.strips) return 'esbuild'
  if (node.forced === 'native') return 'native'
  return Number(node.version.split('.')[0]) >= CACHES_STRIPPED ? 'native' : 'esbuild'
}

/** The facts of the running Node. */
export function runningNode(forced: string | undefined): NodeFacts {
  return { version: process.versions.node, strips: Boolean((process.features as { typescript?: unknown }).typescript), forced }
}
