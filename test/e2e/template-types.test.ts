/**
 * The templates, as `run --init` writes them, pass a user's own checks: tsc under the strictest settings
 * (without skipLibCheck, so runts' declarations are checked too) and typed lint (typescript-eslint's
 * recommendedTypeChecked), in a fresh project that has installed nothing but runts (no @types/node of its
 * own). Run with this repository's tsc and eslint, against the packed runts.
 */
import { execFile } from 'node:child_process'
import { copyFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { packedProject } from '../helpers/packed.js'
import { repo } from '../helpers/project.js'

const run = promisify(execFile)

// @tsconfig/strictest's checks, with the module settings a tasks file runs under.
const TSCONFIG = {
  compilerOptions: {
    target: 'es2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    noEmit: true,
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noImplicitOverride: true,
    noImplicitReturns: true,
    noFallthroughCasesInSwitch: true,
    noPropertyAccessFromIndexSignature: false,
    skipLibCheck: false,
  },
  include: ['tasks.config.ts'],
}

const ESLINT_CONFIG = `import tseslint from ${JSON.stringify(pathToFileURL(path.join(repo, 'node_modules/typescript-eslint/dist/index.js')).href)}
export default tseslint.config(...tseslint.configs.recommendedTypeChecked, {
  languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
})
`

/** tsc and eslint over the project's tasks.config.ts: what each printed, and whether both passed. */
async function userChecks(dir: string, modules: 'nodenext' | 'bundler'): Promise<{ tsc: string; eslint: string }> {
  // A package.json without "type": "module" (what `npm i -D runts` leaves in a Python project) makes a .ts
  // file CommonJS to nodenext; runts loads it as an ES module all the same, as a bundler would.
  const module = modules === 'bundler' ? { module: 'esnext', moduleResolution: 'bundler' } : {}
  const tsconfig = { ...TSCONFIG, compilerOptions: { ...TSCONFIG.compilerOptions, ...module } }
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  writeFileSync(path.join(dir, 'eslint.config.mjs'), ESLINT_CONFIG)
  const out = async (command: string, args: string[]) => {
    try {
      await run(process.execPath, [command, ...args], { cwd: dir })
      return ''
    } catch (error) {
      const { stdout, stderr } = error as { stdout: string; stderr: string }
      return `${stdout}${stderr}` || String(error)
    }
  }
  return {
    tsc: await out(path.join(repo, 'node_modules/typescript/bin/tsc'), ['-p', dir]),
    eslint: await out(path.join(repo, 'node_modules/eslint/bin/eslint.js'), ['--no-warn-ignored', 'tasks.config.ts']),
  }
}

describe("the templates pass a user's strict tsc and typed lint, with nothing installed but runts", () => {
  it('the npm template', async () => {
    const p = await packedProject()
    p.write({ 'package.json': JSON.stringify({ name: 'typed-lib', version: '1.0.0', type: 'module', files: ['index.js'] }) })
    copyFileSync(path.join(repo, 'tasks/npm-package.ts'), path.join(p.dir, 'tasks.config.ts'))
    expect(await userChecks(p.dir, 'nodenext')).toEqual({ tsc: '', eslint: '' })
  }, 120_000)

  it('the python template, beside the package.json that npm i -D runts leaves', async () => {
    const p = await packedProject({}, { manifest: false })
    p.write({ 'pyproject.toml': '[project]\nname = "typed-pkg"\nversion = "0.1.0"\n' })
    copyFileSync(path.join(repo, 'tasks/python-package.ts'), path.join(p.dir, 'tasks.config.ts'))
    expect(await userChecks(p.dir, 'bundler')).toEqual({ tsc: '', eslint: '' })
  }, 120_000)
})
