// runts builds, checks and tests itself with runts: `npx run --list`.
import { $, parallel, task } from 'runts'

export const install = task({
  description: 'Install dependencies (npm install, as locked)',
  run: () => $`npm install --no-audit --no-fund`,
})

export const clean = task({
  description: 'Remove build output and the compiled-tasks cache',
  run: () => $`rm -rf dist node_modules/.cache/runts *.tgz`,
})

export const build = task({
  description: 'Bundle the CLI and library into dist/, with type declarations',
  run: () => $`node scripts/build.mjs`,
})

export const lint = task({
  description: 'Lint and check formatting (biome)',
  run: () => $`biome check .`,
})

export const typecheck = task({
  description: 'Type-check sources and tests (tsc --noEmit)',
  run: () => $`tsc -p tsconfig.json`,
})

export const test = task({
  description: 'Run the tests: unit, main() with fake I/O, end-to-end (ARGS go to vitest)',
  deps: [build],
  run: ({ args }) => $`vitest run ${args}`,
})

export const check = task({
  description: 'Everything CI checks: lint, typecheck, then the tests',
  deps: [parallel(lint, typecheck), test],
})
