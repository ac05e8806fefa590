#!/usr/bin/env node
// The entry stays tiny: turn on Node's compile cache where it exists (Node 22),
// or load the CLI's bundle through V8's code cache (older Node), then run it.
import module, { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { requireWithCodeCache } from './cli/code-cache.js'

type Cli = { runCli(importModule: (url: string) => Promise<unknown>): Promise<void> }

const main = fileURLToPath(new URL('./main.cjs', import.meta.url))
const enableCompileCache = (module as { enableCompileCache?: () => unknown }).enableCompileCache
let cli: Cli
if (typeof enableCompileCache === 'function') {
  enableCompileCache()
  cli = createRequire(import.meta.url)(main) as Cli
} else {
  cli = requireWithCodeCache(main) as Cli
}
await cli.runCli((url) => import(url))
