/** What a registry holds, read as npm would read it. */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Registry } from '../../scripts/registry.js'

/** The files of a version as the registry has it (its tarball, fetched with npm), without `package/`. */
export function published(registry: Registry, spec: string): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-published-'))
  try {
    execFileSync('npm', ['pack', spec, '--silent', '--registry', registry.url, '--pack-destination', dir], { cwd: dir, stdio: 'ignore' })
    const [tarball] = readdirSync(dir)
    return execFileSync('tar', ['-tzf', path.join(dir, tarball!)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''))
      .sort()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
