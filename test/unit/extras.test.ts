/**
 * The CLI's rarely used parts are built into dist/extras/*.cjs, which main.cjs requires where the
 * sources import a module of theirs: each extra must export everything its modules export (two
 * modules exporting one name would silently drop it), or a command fails only in the built CLI.
 */
import { readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repo } from '../helpers/project.js'

const EXTRAS: Record<string, { folder: string; except?: string[] }> = {
  ci: { folder: 'src/ci/', except: ['events.ts'] },
  cache: { folder: 'src/cache/' },
  convert: { folder: 'src/init/from/' },
  watch: { folder: 'src/watch/' },
  graph: { folder: 'src/views/', only: 'graph' } as { folder: string; only?: string },
}

describe('dist/extras', () => {
  for (const [name, extra] of Object.entries(EXTRAS)) {
    it(`${name}.cjs exports everything ${extra.folder} exports`, async () => {
      const built = createRequire(import.meta.url)(path.join(repo, 'dist', 'extras', `${name}.cjs`)) as Record<string, unknown>
      const only = (extra as { only?: string }).only
      const files = readdirSync(path.join(repo, extra.folder)).filter(
        (f) => f.endsWith('.ts') && !extra.except?.includes(f) && (only === undefined || f.startsWith(only)),
      )
      expect(files.length).toBeGreaterThan(0)
      for (const file of files) {
        const source = (await import(path.join(repo, extra.folder, file))) as Record<string, unknown>
        for (const exported of Object.keys(source)) expect(built, `${file} exports ${exported}`).toHaveProperty(exported)
      }
    })
  }
})
