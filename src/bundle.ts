/**
 * The CLI's bundle, dist/main.cjs, which the tiny entry (src/cli.ts) loads through the code cache:
 * `main()` run with this process as its Io. The top of the layers: it alone knows both.
 */
import { runCli as withProcess } from './cli/process-io.js'
import { main } from './main.js'

export function runCli(importModule: (url: string) => Promise<unknown>): Promise<void> {
  return withProcess(main, importModule)
}
