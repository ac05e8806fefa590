/**
 * The install check of an npm release, as a user meets the package: the
 * tarball installed with npm into a fresh project outside this one (its
 * dependencies from a registry), imported by its name, and each of its bins
 * started (`BIN --help`, which must exit 0).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { $ } from '../api/shell.js'

export interface NpmInstallCheck {
  /** The tarball to install (a path). */
  tarball: string
  /** Its package.json (from the tarball). */
  manifest: Record<string, unknown>
  /** Where its dependencies come from; npm's own setting when not given. */
  registry?: string
  /** How long a bin may take to answer `--help`; 30 s. */
  binTimeoutMs?: number
}

/** What a check did, for the task's output: `import('x')`, `x-cli --help`. */
export async function installAndImportTarball(check: NpmInstallCheck): Promise<string[]> {
  const name = String(check.manifest.name)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-npm-check-'))
  const did: string[] = []
  try {
    writeFileSync(path.join(dir, 'package.json'), '{ "name": "runts-install-check", "private": true }\n')
    const inProject = $({ cwd: dir })
    const registry = check.registry ? ['--registry', check.registry] : []
    await inProject`npm install --no-audit --no-fund --no-package-lock ${registry} ${check.tarball}`
    if (importable(check.manifest)) {
      // import() as ES modules and CommonJS both allow; a package that exports only `require` is required.
      const code = `const name = ${JSON.stringify(name)}
try { await import(name) } catch (e) {
  if (e?.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw e
  const { createRequire } = await import('node:module'); createRequire(process.cwd() + '/')(name)
}`
      await step(`import('${name}')`, () => inProject`node --input-type=module -e ${code}`)
      did.push(`import('${name}')`)
    }
    for (const bin of binNames(check.manifest)) {
      const command = path.join(dir, 'node_modules', '.bin', bin)
      await step(`${bin} --help`, () => $({ cwd: dir, quiet: true, timeout: check.binTimeoutMs ?? 30_000 })`${command} --help`)
      did.push(`${bin} --help`)
    }
    return did
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function step(what: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run()
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; exitCode?: number | null; signal?: string | null }
    const said = String(e.stderr || e.stdout || (error as Error).message || '')
      .trim()
      .split('\n')
      .filter(Boolean)
      .slice(-3)
      .join(' | ')
    const how = e.exitCode != null ? `exited ${e.exitCode}` : e.signal ? `was stopped (${e.signal}: it did not end in time?)` : 'failed'
    throw new Error(`${what} ${how} in a fresh install of the tarball${said ? `: ${said}` : ''}`)
  }
}

/** Whether the package's name can be imported: a main, an `exports` with `.`, or an index.js (npm's default main). */
function importable(manifest: Record<string, unknown>): boolean {
  const exports = manifest.exports
  if (exports !== undefined && exports !== null) {
    if (typeof exports === 'string' || Array.isArray(exports)) return true
    const keys = Object.keys(exports as object)
    return keys.includes('.') || keys.every((k) => !k.startsWith('.'))
  }
  if (typeof manifest.main === 'string' && manifest.main.trim() !== '') return true
  // No main and no exports: only a bin or types, unless there is an index.js (checked by the tarball check).
  return manifest.bin === undefined && manifest.types === undefined && manifest.typings === undefined
}

/** The commands a package's `bin` installs (a string bin is named after the package, without its scope). */
function binNames(manifest: Record<string, unknown>): string[] {
  const bin = manifest.bin
  if (typeof bin === 'string') return [String(manifest.name).replace(/^@[^/]*\//, '')]
  if (bin && typeof bin === 'object') return Object.keys(bin).filter((k) => /^[A-Za-z0-9._@-]+$/.test(k))
  return []
}
