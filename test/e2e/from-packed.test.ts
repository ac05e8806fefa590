/**
 * `npx runts --init --from run.sh` from the packed tarball, in a fresh project, as a user coming from a
 * run.sh does it: the bash grammar ships inside runts (no tree-sitter-bash package is installed), the
 * converted tasks run as the original did, and the tokens from .env are masked.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Packed, packedProject } from '../helpers/packed.js'
import { repo, runProcess } from '../helpers/project.js'

const corpus = path.join(repo, 'test', 'fixtures', 'from', 'python')
const TOKENS = [...readFileSync(path.join(corpus, '.env'), 'utf8').matchAll(/^\w*TOKEN=(.+)$/gm)].map((m) => m[1]!)

describe('the packed runts converts a run.sh', () => {
  let p: Packed
  let originalDir: string
  beforeAll(async () => {
    p = await packedProject()
    cpSync(corpus, p.dir, { recursive: true })
    originalDir = mkdtempSync(path.join(os.tmpdir(), 'runts-from-packed-original-'))
    cpSync(corpus, originalDir, { recursive: true })
  }, 180_000)
  afterAll(() => {
    for (const dir of [p?.dir, originalDir]) if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('installs no tree-sitter-bash package: the grammar is in runts, with its license', () => {
    expect(existsSync(path.join(p.dir, 'node_modules', 'tree-sitter-bash'))).toBe(false)
    const dist = path.join(p.dir, 'node_modules', 'runts', 'dist')
    expect(readFileSync(path.join(dist, 'tree-sitter-bash.wasm')).subarray(0, 4)).toEqual(Buffer.from('\0asm'))
    const license = readFileSync(path.join(dist, 'tree-sitter-bash.wasm.LICENSE'), 'utf8')
    expect(license).toContain('tree-sitter-bash')
    expect(license).toContain('Copyright (c) 2017 Max Brunsfeld')
    expect(license).toContain('Permission is hereby granted, free of charge')
  })

  it('npx runts --init --from run.sh, then npx runts TASK prints what bash run.sh TASK printed, the tokens masked', async () => {
    const init = await runProcess('npx', ['runts', '--init', '--from', 'run.sh'], { cwd: p.dir })
    expect(init.code).toBe(0)
    expect(init.stderr).toContain('wrote tasks.config.ts: 9 tasks: install, clean, build, lint, test, publish:test, publish:prod')
    expect(init.stderr).toContain('dropped load_dot_env(): runts loads .env')
    for (const [task, ...args] of [['release:prod'], ['test', '--fail'], ['install']]) {
      const before = await runProcess('bash', ['run.sh', task!, ...args], { cwd: originalDir })
      const after = await runProcess('npx', ['runts', task!, ...args], { cwd: p.dir })
      expect(after.stdout).toBe(TOKENS.reduce((out, token) => out.split(token).join('***'), before.stdout))
      expect(after.code).toBe(before.code)
      for (const token of TOKENS) expect(after.stdout + after.stderr).not.toContain(token)
    }
  }, 60_000)
})
