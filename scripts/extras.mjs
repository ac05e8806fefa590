import { readdirSync } from 'node:fs'
import path from 'node:path'

// The rarely used parts of the CLI, built as files of their own (dist/extras/NAME.cjs) and required,
// through the code cache, only by the command that needs them: every `run` reads main.cjs, and the
// smaller it is, the sooner it starts. Each extra is the modules whose paths start with one of its
// prefixes; it exports everything they export. Read by scripts/build.mjs and test/unit/extras.test.ts.
// Keep in an extra only modules without state or classes that main.cjs checks by identity.
export const EXTRAS = {
  ci: { prefixes: ['src/ci/'], except: ['src/ci/events.ts'] },
  // The shared cache (HTTP, streams, zlib, tar) apart from the cache: an up-to-date check never loads it.
  // Before `cache`: the first extra whose prefix matches owns a module.
  'cache-shared': { prefixes: ['src/cache/shared/'] },
  cache: { prefixes: ['src/cache/'] },
  convert: { prefixes: ['src/init/from/'] },
  init: { prefixes: ['src/init/init.ts', 'src/init/templates.ts', 'src/init/editor-types.ts', 'src/init/pyproject-dev.ts'] },
  watch: { prefixes: ['src/watch/'] },
  graph: { prefixes: ['src/views/graph'] },
  completions: { prefixes: ['src/views/completion'] },
  views: { prefixes: ['src/views/makefile.ts', 'src/views/env-report.ts', 'src/views/self.ts'] },
  status: { prefixes: ['src/report/status-'] },
  compile: { prefixes: ['src/load/compile.ts'] },
  // What a run stopped by its checks leaves for CI (--report, the step summary).
  stopped: { prefixes: ['src/commands/stopped.ts', 'src/report/stopped.ts'] },
}

/** The extra a source file (a path from the repository root, with `/`) belongs to, if any. */
export function extraOf(file) {
  for (const [name, extra] of Object.entries(EXTRAS)) {
    if (extra.prefixes.some((prefix) => file.startsWith(prefix)) && !(extra.except ?? []).includes(file)) return name
  }
  return undefined
}

/** The source files (paths from the repository root, with `/`) of the extra `name`. */
export function modulesOf(root, name) {
  const files = (dir) =>
    readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
    )
  return files('src').filter((file) => extraOf(file) === name)
}
