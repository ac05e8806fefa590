/**
 * The CLI's rarely used parts are built into dist/extras/*.cjs (scripts/extras.mjs says which modules
 * go where), which main.cjs requires where the sources import a module of theirs: each extra must
 * export everything its modules export (two modules exporting one name would silently drop it), or a
 * command fails only in the built CLI.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXTRAS, modulesOf } from '../../scripts/extras.mjs'
import { repo } from '../helpers/project.js'

describe('dist/extras', () => {
  for (const name of Object.keys(EXTRAS)) {
    it(`${name}.cjs exports everything its modules export`, async () => {
      const built = createRequire(import.meta.url)(path.join(repo, 'dist', 'extras', `${name}.cjs`)) as Record<string, unknown>
      const files = modulesOf(repo, name)
      expect(files.length).toBeGreaterThan(0)
      for (const file of files) {
        const source = (await import(path.join(repo, file))) as Record<string, unknown>
        for (const exported of Object.keys(source)) expect(built, `${file} exports ${exported}`).toHaveProperty(exported)
      }
    })
  }
})
