// Builds dist/: the CLI and the library as ES modules, plus type declarations.
// Small dependencies (cac, dotenv, picocolors) are bundled in: resolving and
// loading them from node_modules cost more start-up time than their code.
// zx and esbuild stay imports; both are loaded only when needed.
// Plain JavaScript so that a fresh clone can build itself before runts exists.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
rmSync(`${root}/dist`, { recursive: true, force: true })
// Each entry is one file, no shared chunks: every module Node loads costs start-up time, and the
// little the two share (task(), the scope) works across copies by design (registered symbols).
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts', 'src/index.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: false,
  external: ['zx', 'zx/*', 'esbuild'],
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  // Bundled CommonJS (dotenv, picocolors) calls require() for Node's built-ins.
  banner: { js: "import { createRequire as __runtsRequire } from 'node:module'; const require = __runtsRequire(import.meta.url);" },
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  logLevel: 'warning',
})
execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' })
