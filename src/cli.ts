#!/usr/bin/env node
// The entry stays tiny: turn on Node's compile cache where it exists (Node 22 and later: it keeps the
// tasks file's stripped module and the library), then load the CLI's bundle through runts' own V8 code
// cache, written after a run so that it holds every function the run compiled; Node's compile cache
// keeps only what compiling the bundle compiled, and the rest was compiled again on every run
// (BENCHMARKS.md, "Start-up on Node 20, 22 and 24"). RUNTS_CLI_CACHE=node loads the bundle through
// Node's compile cache instead, for the benchmark.
import module, { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { requireWithCodeCache } from './cli/code-cache.js'

type Cli = { runCli(importModule: (url: string) => Promise<unknown>): Promise<void> }

const main = fileURLToPath(new URL('./main.cjs', import.meta.url))
const enableCompileCache = (module as { enableCompileCache?: () => unknown }).enableCompileCache
if (typeof enableCompileCache === 'function') enableCompileCache()
const cli = (
  process.env.RUNTS_CLI_CACHE === 'node' && typeof enableCompileCache === 'function'
    ? createRequire(import.meta.url)(main)
    : requireWithCodeCache(main)
) as Cli
await cli.runCli((url) => import(url))
