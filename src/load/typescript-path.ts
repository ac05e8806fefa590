/**
 * Which way a TypeScript tasks file is turned into JavaScript on this Node: by Node's own type
 * stripping (`native`), or by esbuild with its build cached in node_modules/.cache/runts (`esbuild`).
 * One decision, by measurement (BENCHMARKS.md, "TypeScript on Node 20, 22 and 24"): Node 20 cannot
 * strip types; Node 22 strips them in about 40 ms on every run (its compile cache does not keep the
 * result), where importing esbuild's cached build takes about 5; Node 24 keeps the stripped module in
 * its compile cache, and importing it costs less than checking and importing esbuild's build,
 * unless a package.json without `"type": "module"` makes Node guess the module kind.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { findUpPath } from '../util/fs.js'

export type TypeScriptPath = 'native' | 'esbuild'

export interface NodeFacts {
  /** `process.versions.node`. */
  version: string
  /** Node strips types itself (`process.features.typescript`, set from 22.18 and 23.6). */
  strips: boolean
  /** `RUNTS_TYPESCRIPT=native|esbuild`: one way forced, for benchmarks and tests. */
  forced?: string
  /**
   * Whether Node reads the tasks file as an ES module without guessing: an `.mts` file, or no
   * package.json above it, or one with `"type": "module"`. Under a package.json without it, Node
   * parses the file twice and warns (MODULE_TYPELESS_PACKAGE_JSON) on every run; esbuild's build is
   * an `.mjs` file.
   */
  esModule?: boolean
}

/** The first Node major whose compile cache keeps the stripped module (measured: 22 does not, 24 does). */
const CACHES_STRIPPED = 24

export function typeScriptPath(node: NodeFacts): TypeScriptPath {
  if (node.forced === 'esbuild' || !node.strips) return 'esbuild'
  if (node.forced === 'native') return 'native'
  return Number(node.version.split('.')[0]) >= CACHES_STRIPPED && node.esModule !== false ? 'native' : 'esbuild'
}

/** The facts of the running Node, for the tasks file `file`. */
export function runningNode(file: string, forced: string | undefined): NodeFacts {
  const version = process.versions.node
  const strips = Boolean((process.features as { typescript?: unknown }).typescript)
  // Read only where it decides something: Node 24 strips types, and nothing is forced.
  const esModule = strips && !forced && Number(version.split('.')[0]) >= CACHES_STRIPPED ? readAsEsModule(file) : undefined
  return { version, strips, forced, esModule }
}

/** `.mts`, or the nearest package.json says `"type": "module"`, or there is none. */
function readAsEsModule(file: string): boolean {
  if (file.endsWith('.mts')) return true
  const manifest = findUpPath(path.dirname(file), 'package.json')
  if (!manifest) return true
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module'
  } catch {
    return false
  }
}
