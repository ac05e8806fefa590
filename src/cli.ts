#!/usr/bin/env node
// The entry stays tiny: turn on Node's compile cache where it exists, then load the rest.
import module from 'node:module'

;(module as { enableCompileCache?: () => unknown }).enableCompileCache?.()
const { runCli } = await import('./cli/process-io.js')
await runCli()
