/** Which way a TypeScript tasks file is compiled on each Node: by measurement (BENCHMARKS.md). */
import { describe, expect, it } from 'vitest'
import { typeScriptPath } from '../../src/load/typescript-path.js'

describe('the TypeScript path per Node version', () => {
  it("takes esbuild's cached build on Node 20 (no type stripping) and 22 (stripping is slower), Node's own stripping on 24", () => {
    expect(typeScriptPath({ version: '20.19.0', strips: false })).toBe('esbuild')
    expect(typeScriptPath({ version: '22.23.5', strips: true })).toBe('esbuild')
    expect(typeScriptPath({ version: '24.22.3', strips: true })).toBe('native')
    expect(typeScriptPath({ version: '25.1.0', strips: true })).toBe('native')
  })

  it('takes esbuild\'s build on Node 24 where a package.json without "type": "module" would make Node guess (and warn)', () => {
    expect(typeScriptPath({ version: '24.22.3', strips: true, esModule: false })).toBe('esbuild')
    expect(typeScriptPath({ version: '24.22.3', strips: true, esModule: true })).toBe('native')
  })

  it('takes what RUNTS_TYPESCRIPT forces, but never native where Node cannot strip types', () => {
    expect(typeScriptPath({ version: '22.23.5', strips: true, forced: 'native' })).toBe('native')
    expect(typeScriptPath({ version: '24.22.3', strips: true, forced: 'esbuild' })).toBe('esbuild')
    expect(typeScriptPath({ version: '20.19.0', strips: false, forced: 'native' })).toBe('esbuild')
    // Node 24 run with --no-experimental-strip-types.
    expect(typeScriptPath({ version: '24.22.3', strips: false })).toBe('esbuild')
  })
})
