/** The built CLI, run in temp projects as a user would. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { tagProcesses } from '../helpers/processes.js'
import { Project, runProcess } from '../helpers/project.js'

const BASIC = `
import { task, parallel, $, env } from 'runts'
export const where = task({ run: () => $\`pwd\` })
export const show = task({ run: () => $\`echo A=$A B=$B C=$C D=$D\` })
export const leak = task({ run: async () => { console.log('js sees', env.API_TOKEN); await $\`echo cmd sees $API_TOKEN; echo err sees $API_TOKEN >&2\` } })
export const first = task({ run: () => $\`echo first; exit 5\` })
export const second = task({ run: () => $\`echo second ran > second.txt\` })
export const chain = task({ deps: [first, second] })
`

describe('the tasks file', () => {
  it('is found from a subfolder, and commands run in the project root', async () => {
    const p = new Project({ 'tasks.config.ts': BASIC, 'deep/er/x.txt': '' })
    const r = await p.run(['where'], { cwd: path.join(p.dir, 'deep', 'er') })
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe(p.dir)
  })

  it('says where it looked when there is none', async () => {
    const p = new Project({})
    const r = await p.run(['build'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no tasks file found')
    expect(r.stderr).toContain(p.dir)
  })

  it('reports a compile error with file, line and column', async () => {
    const p = new Project({
      'tasks.config.ts': "import { task } from 'runts'\nexport const a = task({ run: () => { const x: number = ; } })\n",
    })
    const r = await p.run(['a'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/tasks\.config\.ts:2:56/)
    // esbuild's words, or Node's where it strips the types itself (Node 24).
    expect(r.stderr).toMatch(/Unexpected|Expression expected/)
  })

  it('reports a syntax error of a JavaScript tasks file with its line and column, too', async () => {
    for (const name of ['tasks.config.mjs', 'tasks.config.js']) {
      const p = new Project({
        'package.json': '{ "type": "module" }',
        [name]: "import { task } from 'runts'\nexport const a = task({ run: () => { const x = ; } })\n",
      })
      const r = await p.run(['a'])
      expect(r.code).toBe(2)
      expect(r.stderr).toContain("error: the tasks file does not compile: Unexpected token ';'")
      expect(r.stderr).toContain(`at ${name}:2:48`)
      expect(r.stderr).toContain('  2 | export const a = task({ run: () => { const x = ; } })')
    }
  })

  it('reports a throw while loading, in an imported file, with its line', async () => {
    const p = new Project({
      'tasks.config.ts':
        "import { task } from 'runts'\nimport { x } from './tasks/helper.ts'\nexport const a = task({ run: () => console.log(x) })\n",
      'tasks/helper.ts': "export const x: number = 1\nthrow new Error('helper is broken')\n",
    })
    const r = await p.run(['a'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('helper is broken')
    expect(r.stderr).toMatch(/tasks\/helper\.ts:2:7/)
  })

  it('is compiled once, and recompiled when an imported file changes', async () => {
    const p = new Project({
      'tasks.config.ts':
        "import { task } from 'runts'\nimport { word } from './lib/word'\nexport const say = task(() => console.log(word))\n",
      'lib/word.ts': "export const word: string = 'one'\n",
    })
    const env = { RUNTS_DEBUG: '1' }
    const first = await p.run(['say'], { env })
    expect(first.stdout).toBe('one\n')
    expect(first.stderr).toContain('compiled')
    const second = await p.run(['say'], { env })
    expect(second.stderr).toContain('using the cached build')
    expect(second.stderr).not.toContain('compiled')
    p.write({ 'lib/word.ts': "export const word: string = 'two'\n" })
    const third = await p.run(['say'], { env })
    expect(third.stdout).toBe('two\n')
    expect(third.stderr).toContain('compiled')
  })

  it('says which package a tasks file imports that is not installed', async () => {
    const p = new Project({
      'tasks.config.ts': "import { task } from 'runts'\nimport x from 'not-installed-pkg'\nexport const a = task(() => console.log(x))\n",
    })
    const r = await p.run(['a'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("imports 'not-installed-pkg', which is not installed")
    expect(r.stderr).toContain('npm i -D not-installed-pkg')
    expect(r.stderr).not.toContain('.cache')
  })

  it('says on a dry run that a real run would ask for confirmation', async () => {
    const p = new Project({
      'tasks.config.ts': "import { task } from 'runts'\nexport const prod = task({ confirm: 'Ship it?', run: () => {} })\n",
    })
    const r = await p.run(['--dry-run', 'prod'])
    expect(r.stdout).toBe('prod\n')
    expect(r.stderr).toContain("a real run asks first: Ship it? (task 'prod'")
  })

  it('lists a task exported under two names once, with both names, and runs it by either', async () => {
    const p = new Project({
      'tasks.config.ts':
        "import { task } from 'runts'\nexport const build = task(() => {})\nexport { build as b }\nexport const t2 = task({ deps: [build, 'b'] })\n",
    })
    expect((await p.run(['-n', 't2'])).stdout).toBe('b\nt2\n')
    expect((await p.run(['--list'])).stdout).toContain('b (also build)')
    expect((await p.run(['build'])).code).toBe(0)
  })

  it('lists the tasks for `run help`, as ./run.sh help and make help did, unless a task is named help', async () => {
    const p = new Project({
      'tasks.config.ts': "import { task } from 'runts'\nexport const build = task({ description: 'Build it', run: () => {} })\n",
    })
    const list = await p.run(['--list'])
    const help = await p.run(['help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toBe(list.stdout)
    expect(help.stdout).toContain('build  Build it')
    p.write({ 'tasks.config.ts': "import { task } from 'runts'\nexport const help = task(() => console.log('my own help'))\n" })
    expect((await p.run(['help'])).stdout).toBe('my own help\n')
  })

  it('reports a cycle with its path and runs nothing', async () => {
    const p = new Project({
      'tasks.config.ts':
        "import { task, $ } from 'runts'\nexport const a = task({ deps: ['b'], run: () => $`touch ran`})\nexport const b = task({ deps: ['a'] })\n",
    })
    const r = await p.run(['a'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/a -> b -> a|b -> a -> b/)
    expect(existsSync(path.join(p.dir, 'ran'))).toBe(false)
  })
})

describe('.env', () => {
  it('layers .env < .env.local < --env-file (later wins), under the shell', async () => {
    const p = new Project({
      'tasks.config.ts': BASIC,
      '.env': 'A=env\nB=env\nC=env\nD=env\n',
      '.env.local': 'B=local\nC=local\nD=local\n',
      'one.env': 'C=one\nD=one\n',
      'two.env': 'D=two\n',
    })
    const r = await p.run(['--env-file', 'one.env', '--env-file', 'two.env', 'show'])
    expect(r.stdout.trim()).toBe('A=env B=local C=one D=two')
    const shell = await p.run(['--env-file', 'one.env', 'show'], { env: { C: 'shell' } })
    expect(shell.stdout.trim()).toBe('A=env B=local C=shell D=one')
  })

  it('masks secrets from .env and the shell in command output, stderr and console.log', async () => {
    const p = new Project({ 'tasks.config.ts': BASIC, '.env': 'API_TOKEN=tok_abcdef123\n' })
    const r = await p.run(['-x', 'leak'])
    expect(r.code).toBe(0)
    expect(r.stdout + r.stderr).not.toContain('tok_abcdef123')
    expect(r.stdout).toContain('js sees ***')
    expect(r.stdout).toContain('cmd sees ***')
    expect(r.stderr).toContain('err sees ***')
    const shell = await p.run(['leak'], { env: { API_TOKEN: 'from-the-shell' } })
    expect(shell.stdout + shell.stderr).not.toContain('from-the-shell')
  })

  it('warns once about a secret too short to mask', async () => {
    const p = new Project({ 'tasks.config.ts': BASIC, '.env': 'API_TOKEN=abc\n' })
    const r = await p.run(['leak'])
    expect(r.stderr.match(/API_TOKEN is shorter than 4 characters/g)).toHaveLength(1)
  })
})

describe('failures', () => {
  it('stops at a failing command with its code; later tasks do not start', async () => {
    const p = new Project({ 'tasks.config.ts': BASIC })
    const r = await p.run(['chain'])
    expect(r.code).toBe(5)
    expect(r.stderr).toContain("task 'first' failed: a command exited with code 5")
    expect(existsSync(path.join(p.dir, 'second.txt'))).toBe(false)
  })
})

const PARALLEL = `
import { task, parallel, $ } from 'runts'
// Each writes when it started and ended (ns), so that the test reads overlap, not the machine's speed.
const timed = (name: string) => task({ name, run: () => $\`s=$(date +%s%N); sleep 0.5; echo "$s $(date +%s%N)" > \${name}.time\` })
const a = timed('a')
const b = timed('b')
const c = timed('c')
export const all = task({ deps: [parallel(a, b, c)] })
export const slow = task({ deps: [parallel(task({ name: 's1', run: () => $\`sleep 60\` }), task({ name: 's2', run: () => $\`bash -c "sleep 61 & sleep 62; wait"\` }))] })
`

describe('parallel and signals', () => {
  it('runs parallel members together, and one at a time with --jobs 1', async () => {
    const p = new Project({ 'tasks.config.ts': PARALLEL })
    const intervals = async (args: string[]) => {
      const r = await p.run(args)
      expect(r.code).toBe(0)
      return ['a', 'b', 'c']
        .map((n) =>
          readFileSync(path.join(p.dir, `${n}.time`), 'utf8')
            .trim()
            .split(' ')
            .map(BigInt),
        )
        .sort((x, y) => (x[0]! < y[0]! ? -1 : 1))
    }
    const together = await intervals(['--jobs', '3', 'all'])
    // All three ran at one moment: the last to start started before the first to end ended.
    const lastStart = together
      .map((t) => t[0]!)
      .sort((x, y) => (x < y ? -1 : 1))
      .at(-1)!
    const firstEnd = together.map((t) => t[1]!).sort((x, y) => (x < y ? -1 : 1))[0]!
    expect(lastStart < firstEnd).toBe(true)
    const serial = await intervals(['--jobs', '1', 'all'])
    for (let i = 1; i < serial.length; i++) expect(serial[i]![0]! >= serial[i - 1]![1]!).toBe(true)
  })

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`stops every child and grandchild on ${signal} and exits ${code}`, async () => {
      const p = new Project({ 'tasks.config.ts': PARALLEL })
      const tagged = tagProcesses()
      let pids: number[] = []
      const r = await p.run(['slow'], {
        env: tagged.env,
        onStart: (child) => {
          const poll = setInterval(() => {
            pids = tagged.running(/^sleep 6[012]$/)
            if (pids.length >= 3) {
              clearInterval(poll)
              child.kill(signal)
            }
          }, 50)
        },
      })
      expect(r.code).toBe(code)
      expect(pids.length).toBeGreaterThanOrEqual(3)
      expect(tagged.running()).toEqual([])
    })
  }
})

describe('Makefile', () => {
  it('wraps every task for GNU make, colons included, and fails when a task fails', async () => {
    const p = new Project({
      'tasks.config.ts': `import { task, $ } from 'runts'
export const publishTest = task({ name: 'publish:test', run: ({ args }) => $\`echo published \${args}\` })
export const broken = task({ run: () => $\`exit 3\` })
`,
    })
    const gen = await p.run(['--makefile'])
    expect(gen.code).toBe(0)
    writeFileSync(path.join(p.dir, 'Makefile'), gen.stdout)
    const ok = await runProcess('make', ['publish:test', 'ARGS=now'], { cwd: p.dir })
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain('published now')
    const bad = await runProcess('make', ['broken'], { cwd: p.dir })
    expect(bad.code).not.toBe(0)
    expect(readFileSync(path.join(p.dir, 'Makefile'), 'utf8')).not.toContain('npx')
  })

  it("makes no target of a task named as one of make's special targets, which would change every other target", async () => {
    const p = new Project({
      'tasks.config.ts': `import { task, $ } from 'runts'
export const broken = task({ run: () => $\`exit 3\` })
export const ignore = task({ name: '.IGNORE', run: () => $\`echo ignoring\` })
export const fallback = task({ name: '.DEFAULT', run: () => $\`echo fallback ran\` })
`,
    })
    const gen = await p.run(['--makefile'])
    expect(gen.code).toBe(0)
    writeFileSync(path.join(p.dir, 'Makefile'), gen.stdout)
    // A failing task still fails make, and a target make does not know runs nothing.
    const bad = await runProcess('make', ['broken'], { cwd: p.dir })
    expect(bad.code).not.toBe(0)
    const unknown = await runProcess('make', ['no-such-task'], { cwd: p.dir })
    expect(unknown.stdout).not.toContain('fallback ran')
    expect(unknown.code).not.toBe(0)
    expect(gen.stdout).toContain(`# ".IGNORE" has a name make cannot take as a target: run it as: run .IGNORE`)
  })
})

describe('arguments', () => {
  it('names arguments given to a task that cannot take them, instead of dropping them silently', async () => {
    const p = new Project({
      'tasks.config.ts': `import { task, $ } from 'runts'
export const plain = task({ run: () => $\`echo plain\` })
export const takes = task({ run: ({ args }) => $\`echo takes \${args}\` })
export const pipeline = task({ deps: [plain] })
`,
    })
    const plain = await p.run(['plain', '--skip-existing'])
    expect(plain.code).toBe(0)
    expect(plain.stderr).toContain("warning: 'plain' takes no arguments (its run has no parameter): '--skip-existing' ignored")
    const takes = await p.run(['takes', '--skip-existing'])
    expect(takes.stdout).toContain('takes --skip-existing')
    expect(takes.stderr).not.toContain('ignored')
    expect((await p.run(['pipeline', 'x'])).stderr).toContain("'pipeline' only runs its deps, which take no arguments: 'x' ignored")
  })

  it("passes a pipeline's arguments on to the deps its argsTo names (and theirs), and to no other", async () => {
    const p = new Project({
      'tasks.config.ts': `import { task, $ } from 'runts'
const show = (name: string) => task({ name, run: ({ args }) => $\`echo \${name}: \${args.join(' ') || '(none)'}\` })
const lint = show('lint')
const publishTest = show('publish:test')
const publishProd = show('publish:prod')
export const releaseTest = task({ name: 'release:test', deps: [lint, publishTest], argsTo: [publishTest] })
export const releaseProd = task({ name: 'release:prod', deps: [releaseTest, publishProd], argsTo: ['release:test', publishProd] })
export const wrong = task({ deps: [lint], argsTo: [publishProd] })
`,
    })
    const test = await p.run(['release:test', '--tag', 'next'])
    expect(test.code).toBe(0)
    expect(test.stdout).toContain('lint: (none)\n')
    expect(test.stdout).toContain('publish:test: --tag next\n')
    expect(test.stderr).not.toContain('ignored')
    const prod = await p.run(['release:prod', '--tag', 'next'])
    expect(prod.stdout).toContain('lint: (none)\n')
    expect(prod.stdout).toContain('publish:test: --tag next\n')
    expect(prod.stdout).toContain('publish:prod: --tag next\n')
    const dry = await p.run(['--dry-run', 'release:prod', 'x'])
    expect(dry.code).toBe(0)
    const wrong = await p.run(['wrong'])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain("task 'wrong' passes its arguments to 'publish:prod' (argsTo), which is not one of its deps")
    expect(wrong.stdout).toBe('')
  })
})

describe('start-up', () => {
  it("loads none of Node's modules for spawning, the shared cache or questions when a JavaScript task runs", async () => {
    // Each of these costs start-up time on every run (child_process alone brings net, dgram and the
    // streams): they are required when a command, the shared cache or a question needs them.
    // A JavaScript tasks file: a TypeScript one is compiled by esbuild on its first run on Node 20,
    // which does spawn (esbuild's service) and is not what this is about.
    const p = new Project({
      'tasks.config.mjs': "import { task } from 'runts'\nexport const noop = task({ run: () => {} })\n",
      'loaded.cjs': "process.on('exit', () => require('fs').writeFileSync('loaded.txt', process.moduleLoadList.join('\\n')))\n",
    })
    for (const args of [['noop'], ['--list']]) {
      const r = await p.run(args, { env: { NODE_OPTIONS: `--require ${path.join(p.dir, 'loaded.cjs')}` } })
      expect(r.code, r.stderr).toBe(0)
      const loaded = readFileSync(path.join(p.dir, 'loaded.txt'), 'utf8').split('\n')
      const builtins = loaded.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length))
      expect(builtins).toContain('vm') // the list is Node's own: the code cache's module is in it
      const unwanted = ['child_process', 'zlib', 'http', 'https', 'readline', 'readline/promises', 'worker_threads']
      expect(
        builtins.filter((m) => unwanted.includes(m)),
        args.join(' '),
      ).toEqual([])
    }
  })
})
