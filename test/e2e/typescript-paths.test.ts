/**
 * Loading a TypeScript tasks file on the Node running the tests (the suite runs on Node 20, and its
 * loading tests on 22 and 24 too: .ci/run): the path this Node takes (typescript-path.ts), and both
 * paths forced where this Node has both, with the same results: `import 'runts'` in a project with no
 * node_modules, errors located in the file that has them, syntax esbuild compiles and Node cannot strip.
 */
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, Project, runProcess } from '../helpers/project.js'

const major = Number(process.versions.node.split('.')[0])
const strips = Boolean((process.features as { typescript?: unknown }).typescript)
/** The paths this Node can take: esbuild always (it is installed here), Node's own where it strips types. */
const paths = strips ? ['native', 'esbuild'] : ['esbuild']

const HELLO =
  "import { task } from 'runts'\nconst word: string = 'hello'\nexport const say = task(() => console.log(word, typeof process.version))\n"

describe(`TypeScript on Node ${process.versions.node}`, () => {
  it(`takes the faster path of this Node: ${major >= 24 ? "Node's own type stripping" : "esbuild's cached build"}`, async () => {
    const p = new Project({ 'tasks.config.ts': HELLO })
    await p.run(['say'])
    const r = await p.run(['say'], { env: { RUNTS_DEBUG: '1' } })
    expect(r.stdout).toBe('hello string\n')
    if (major >= 24) expect(r.stderr).toContain('imported by Node (type stripping')
    else expect(r.stderr).toContain('using the cached build')
  })

  it('runs a tasks file under a package.json without "type": "module" with no warning (Node 24 would guess the module kind)', async () => {
    const p = new Project({ 'tasks.config.ts': HELLO, 'package.json': JSON.stringify({ name: 'typeless', private: true }) })
    await p.run(['say'])
    const r = await p.run(['say'])
    expect(r.stderr).not.toContain('Warning')
    expect(r.stdout).toBe('hello string\n')
    expect(r.code).toBe(0)
  })

  for (const how of paths) {
    describe(`by ${how === 'native' ? "Node's type stripping" : 'esbuild'} (RUNTS_TYPESCRIPT=${how})`, () => {
      const env = { RUNTS_TYPESCRIPT: how, RUNTS_DEBUG: '1' }

      it("imports 'runts' in a project with no node_modules (runts installed globally, or from PyPI)", async () => {
        const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-bare-')))
        writeFileSync(path.join(dir, 'tasks.config.ts'), HELLO)
        const r = await runProcess(process.execPath, [cli, 'say'], { cwd: dir, env })
        expect(r.stderr).not.toContain('error')
        expect(r.code).toBe(0)
        expect(r.stdout).toBe('hello string\n')
        expect(r.stderr).toContain(how === 'native' ? 'imported by Node' : 'compiled')
      })

      it('locates a throw in a file the tasks file imports, and a syntax error, at file, line and column', async () => {
        const p = new Project({
          'tasks.config.ts':
            "import { task } from 'runts'\nimport { x } from './tasks/helper.ts'\nexport const a = task(() => console.log(x))\n",
          'tasks/helper.ts': "export const x: number = 1\nthrow new Error('helper is broken')\n",
        })
        const thrown = await p.run(['a'], { env })
        expect(thrown.code).toBe(2)
        expect(thrown.stderr).toContain('helper is broken')
        expect(thrown.stderr).toMatch(/at tasks\/helper\.ts:2:7\n/)
        p.write({ 'tasks.config.ts': "import { task } from 'runts'\nexport const a = task({ run: () => { const x: number = ; } })\n" })
        const syntax = await p.run(['a'], { env })
        expect(syntax.code).toBe(2)
        expect(syntax.stderr).toMatch(/at tasks\.config\.ts:2:56\n/)
      })

      it('locates a throw in a task defined in an imported file', async () => {
        const p = new Project({
          'tasks.config.ts': "export { boom } from './lib/boom.ts'\n",
          'lib/boom.ts': "import { task } from 'runts'\nexport const boom = task(() => {\n  throw new Error('it broke')\n})\n",
        })
        const r = await p.run(['boom'], { env })
        expect(r.code).toBe(1)
        expect(r.stderr).toContain("task 'boom' threw: it broke")
        expect(r.stderr).toMatch(/at lib\/boom\.ts:3:9\n/)
      })

      it('runs an enum and a namespace: esbuild compiles what Node cannot strip (installed with npm, runts has esbuild)', async () => {
        const p = new Project({
          'tasks.config.ts':
            "import { task } from 'runts'\nenum Color { Red = 'red' }\nnamespace N { export const n = 1 }\nexport const c = task(() => console.log(Color.Red, N.n))\n",
        })
        const r = await p.run(['c'], { env })
        expect(r.stderr).not.toContain('error')
        expect(r.stdout).toBe('red 1\n')
      })
    })
  }
})
