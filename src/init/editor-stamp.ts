/**
 * Whether the editor's copy of runts' types (see editor-types.ts) needs writing: the one question `run`
 * asks on every start, so it reads at most two small files and loads nothing.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { VERSION } from '../version.js'

export const EDITOR_DIR = '.runts'
export const EDITOR_STAMP = 'version'

/** True when `root/.runts/` is of another runts version, or is missing while tsconfig.json points there. */
export function editorTypesStale(root: string): boolean {
  try {
    return readFileSync(path.join(root, EDITOR_DIR, EDITOR_STAMP), 'utf8').trim() !== VERSION
  } catch {
    // No copy: wanted only where `run --init` wrote a tsconfig.json that names it (a fresh clone).
    try {
      return readFileSync(path.join(root, 'tsconfig.json'), 'utf8').includes(`./${EDITOR_DIR}/node_modules/`)
    } catch {
      return false
    }
  }
}
