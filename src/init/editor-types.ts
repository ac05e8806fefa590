/**
 * What an editor needs to type-check tasks.config.ts in a project with no node_modules (runts installed
 * from PyPI): runts' declarations and the ones they and a tasks file use (zx's, Node's), copied into
 * `.runts/node_modules/` (git-ignored; the folder ignores itself too), and a tsconfig.json that points
 * `runts` and Node's types there. The copy is of the running runts: `run` writes it again when its
 * version differs (a runts upgrade) or when tsconfig.json names it and it is missing (a fresh clone).
 */
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { VERSION } from '../version.js'
import { EDITOR_DIR, EDITOR_STAMP } from './editor-stamp.js'

/** tsconfig.json for the tasks file alone; its settings are those under which Node runs it (types stripped, ES modules). */
export const EDITOR_TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'es2023',
      module: 'esnext',
      moduleResolution: 'bundler',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      // What Node's type stripping runs: imports by their own names, no enums or namespaces.
      allowImportingTsExtensions: true,
      erasableSyntaxOnly: true,
      verbatimModuleSyntax: true,
      // runts from PyPI has no node_modules in the project: its types are in .runts/ (git-ignored), which `run` keeps up to date.
      paths: { runts: [`./${EDITOR_DIR}/node_modules/runts/dist/types/index.d.ts`] },
      // Node's types, where the running runts has them (the wheel does): every package in this folder.
      typeRoots: [`./${EDITOR_DIR}/node_modules/@types`],
    },
    include: ['tasks.config.ts'],
  },
  null,
  2,
)}\n`

/**
 * Write `.runts/` in `dir` from the runts package at `packageDir`: its declarations, zx's, and Node's
 * and undici's where that package has them (the wheel does). Replaces an older copy whole.
 */
export function writeEditorTypes(dir: string, packageDir: string): void {
  const target = path.join(dir, EDITOR_DIR)
  mkdirSync(target, { recursive: true })
  // The folder ignores itself: nothing of it is committed, whatever .gitignore says.
  writeFileSync(path.join(target, '.gitignore'), '*\n')
  const fresh = path.join(target, `.new-${process.pid}`)
  rmSync(fresh, { recursive: true, force: true })
  const modules = path.join(fresh, 'node_modules')
  const resolve = createRequire(path.join(packageDir, 'package.json')).resolve
  const copy = (from: string, to: string, onlyDeclarations: boolean) =>
    cpSync(from, path.join(modules, to), {
      recursive: true,
      filter: (source) => !onlyDeclarations || !/\.[cm]?js$/.test(source),
    })
  copy(path.join(packageDir, 'package.json'), 'runts/package.json', false)
  copy(path.join(packageDir, 'dist', 'types'), 'runts/dist/types', false)
  for (const name of ['zx', '@types/node', 'undici-types']) {
    let manifest: string
    try {
      manifest = resolve(`${name}/package.json`)
    } catch {
      continue
    }
    copy(path.dirname(manifest), name, true)
  }
  // Swapped in whole: an editor never reads half of an old copy and half of a new one.
  const old = path.join(target, `.old-${process.pid}`)
  const current = path.join(target, 'node_modules')
  if (existsSync(current)) renameSync(current, old)
  renameSync(modules, current)
  rmSync(old, { recursive: true, force: true })
  rmSync(fresh, { recursive: true, force: true })
  writeFileSync(path.join(target, EDITOR_STAMP), `${VERSION}\n`)
}
