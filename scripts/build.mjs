// Builds dist/: the CLI and the library as ES modules, plus type declarations.
// Small dependencies (cac, dotenv, picocolors) are bundled in: resolving and
// loading them from node_modules cost more start-up time than their code.
// zx and esbuild stay imports; both are loaded only when needed.
// Plain JavaScript so that a fresh clone can build itself before runts exists.
import { execFileSync } from 'node:child_process'
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { EXTRAS, extraOf, modulesOf } from './extras.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
rmSync(`${root}/dist`, { recursive: true, force: true })
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  // zx and esbuild stay imports; both are loaded only when needed.
  // Everything a rarely used command needs stays an import too (loaded only by that command, never by
  // `run --list`): the cache's tar and picomatch, the workflow's yaml and diff, the watcher, the shell
  // parser of --init --from, the TOML parser of the release checks.
  external: ['zx', 'zx/*', 'esbuild', 'tar', 'picomatch', 'yaml', 'diff', 'chokidar', 'web-tree-sitter', 'smol-toml'],
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  logLevel: 'warning',
}
// dist/cli.js: the tiny entry. dist/main.cjs: the whole CLI in one CommonJS file, so that one code
// cache covers it (see src/cli/code-cache.ts). dist/index.js: what a tasks file imports. They share
// little (task(), the scope), and that works across copies by design (registered symbols).
await build({ ...common, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', format: 'esm' })

const cjs = {
  ...common,
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // import() of esbuild or a built-in becomes require(): code run from the cache has no import().
  // The tasks file is imported by the entry module (Io.importModule).
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__runtsUrl' },
  banner: { js: "const __runtsUrl = require('node:url').pathToFileURL(__filename).href;" },
}
/**
 * An import of an extra's module, from outside that extra, becomes a require of the extra's file:
 * `./extras/NAME.cjs` from main.cjs, `./NAME.cjs` from another extra.
 */
const toExtras = (from) => ({
  name: 'runts-extras',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.namespace !== 'file') return undefined
      const target = path.relative(root, path.resolve(args.resolveDir, args.path)).replace(/\.js$/, '.ts').split(path.sep).join('/')
      const owner = extraOf(target)
      if (owner === undefined || owner === extraOf(path.relative(root, args.importer).split(path.sep).join('/'))) return undefined
      return { path: `${from}${owner}.cjs`, external: true }
    })
  },
})
await build({ ...cjs, entryPoints: { main: 'src/bundle.ts' }, outdir: 'dist', plugins: [toExtras('./extras/')] })
/** An extra's entry: `export *` of each of its modules. */
const extraEntries = {
  name: 'runts-extra-entries',
  setup(b) {
    b.onResolve({ filter: /^extra:/ }, (args) => ({ path: args.path.slice('extra:'.length), namespace: 'extra' }))
    b.onLoad({ filter: /.*/, namespace: 'extra' }, (args) => ({
      contents: modulesOf(root, args.path)
        .map((file) => `export * from ${JSON.stringify(path.join(root, file))}`)
        .join('\n'),
      resolveDir: root,
      loader: 'ts',
    }))
  },
}
// An extra's __filename is dist/extras/x.cjs; import.meta.url still finds the package (package-root.ts walks up).
await build({
  ...cjs,
  entryPoints: Object.fromEntries(Object.keys(EXTRAS).map((name) => [name, `extra:${name}`])),
  outdir: 'dist/extras',
  plugins: [extraEntries, toExtras('./')],
})
await build({
  ...common,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  format: 'esm',
  // The release checks are a chunk of their own, imported on first use (src/release/public.ts).
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS calls require() for Node's built-ins.
  banner: { js: "import { createRequire as __runtsRequire } from 'node:module'; const require = __runtsRequire(import.meta.url);" },
})
// The bash grammar of --init --from ships as its WebAssembly alone (1.4 MB), with its license: the
// tree-sitter-bash package (a devDependency) also holds C sources and native builds (20 MB) and an
// install script that no user needs.
const grammar = `${root}/node_modules/tree-sitter-bash`
const { version } = JSON.parse(readFileSync(`${grammar}/package.json`, 'utf8'))
copyFileSync(`${grammar}/tree-sitter-bash.wasm`, `${root}/dist/tree-sitter-bash.wasm`)
writeFileSync(
  `${root}/dist/tree-sitter-bash.wasm.LICENSE`,
  `dist/tree-sitter-bash.wasm is tree-sitter-bash ${version} (https://github.com/tree-sitter/tree-sitter-bash), under this license:\n\n${readFileSync(`${grammar}/LICENSE`, 'utf8')}`,
)
execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' })
