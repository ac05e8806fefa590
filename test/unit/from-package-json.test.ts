// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected texts are generated TypeScript, placeholders included
import { describe, expect, it } from 'vitest'
import { convertTasksFile } from '../../src/init/from/index.js'

const convert = (scripts: Record<string, string>) => convertTasksFile('package.json', JSON.stringify({ name: 'x', scripts }))

describe('run --init --from package.json', () => {
  it('makes one task per script, its arguments appended as npm appends them', async () => {
    const c = await convert({ test: 'vitest run', lint: 'biome check .' })
    expect(c.tasks).toEqual(['test', 'lint'])
    expect(c.source).toContain("export const test = task({\n  description: 'vitest run',\n  run: ({ args }) => $`vitest run ${args}`,")
  })

  it('makes pre scripts private deps, post scripts the last command, and leading npm run x && calls deps', async () => {
    const c = await convert({
      clean: 'rm -rf dist',
      prebuild: 'npm run clean',
      build: 'tsc',
      postbuild: 'echo done',
      ci: 'npm run -s build && npm test && echo ok',
      test: 'vitest',
    })
    expect(c.tasks).toEqual(['clean', 'build', 'ci', 'test'])
    expect(c.source).toMatch(/\nconst prebuild = task\(\{/)
    expect(c.source).toMatch(
      /export const build = task\(\{[\s\S]*deps: \[prebuild\],\n {2}run: async \(\{ args \}\) => \{\n {4}await \$`tsc \$\{args\}`\n {4}await \$`echo done`/,
    )
    expect(c.source).toContain("deps: [build, 'test'],") // test is declared further down: by name
  })

  it("passes the arguments on through a last npm run, as npm does: that script's commands become the task's own", async () => {
    const c = await convert({
      greet: 'echo hello',
      wrap: 'npm run greet',
      lint: 'biome check',
      test: 'vitest',
      check: 'npm run lint && npm test',
    })
    expect(c.source).toContain(
      "export const wrap = task({\n  description: 'npm run greet',\n  run: ({ args }) => $`echo hello ${args}`,\n})",
    )
    expect(c.source).toContain("// npm ran greet here with this script's arguments, so greet's commands are this task's own")
    expect(c.source).toMatch(
      /export const check = task\(\{\n {2}description: 'npm run lint && npm test',\n {2}deps: \[lint\],\n {2}run: \(\{ args \}\) => \$`vitest \$\{args\}`,/,
    )
    // A script that runs itself, in a loop npm would never leave: left as a dep, which runts reports as a cycle.
    const loop = await convert({ a: 'npm run b', b: 'npm run a' })
    expect(loop.source).toContain('deps: [')
  })

  it('takes in a chain of a thousand scripts, each running the next, once each (linear, not cubic)', async () => {
    const n = 1000
    const chain = Object.fromEntries([...Array.from({ length: n }, (_, i) => [`s${i}`, `npm run s${i + 1}`]), [`s${n}`, 'echo end']])
    const c = await convert(chain)
    expect(c.tasks).toHaveLength(n + 1)
    expect(c.source).toContain("export const s0 = task({\n  description: 'npm run s1',\n  deps: ['s64'],") // 64 deep at most
  }, 60_000)

  it('names the script bash cannot read, with its line in package.json or its text', async () => {
    await expect(convertTasksFile('package.json', '{\n  "scripts": {\n    "ok": "true",\n    "bad": "if then"\n  }\n}\n')).rejects.toThrow(
      'package.json:4: bash cannot parse this script "bad":     "bad": "if then"',
    )
    await expect(convertTasksFile('package.json', '{"scripts":{"bad":"if then"}}')).rejects.toThrow(
      'package.json: bash cannot parse this script "bad": if then',
    )
  })

  it('runs a script that goes on after a failure (;) with the sh helper, as sh -c does', async () => {
    const c = await convert({ fail: 'false; echo after' })
    expect(c.source).toContain("$({ prefix: '' })")
    expect(c.source).toContain('run: ({ args }) => sh`false; echo after ${args}`')
  })

  it('sets the npm_* variables a script reads, as npm set them', async () => {
    const c = await convert({ "it's": 'echo $npm_lifecycle_event ${npm_package_version}', plain: 'echo npm_package_name' })
    expect(c.source).toContain(
      "  run: ({ args }) => sh`\n    export npm_lifecycle_event='it'\\\\''s'\n    export npm_package_version=\"$(node -p \"require('./package.json').version\")\"\n    echo $npm_lifecycle_event \\${npm_package_version} ${args}\n  `,",
    )
    expect(c.source).toContain('run: ({ args }) => $`echo npm_package_name ${args}`')
  })

  it('refuses invalid JSON and a package.json without scripts', async () => {
    await expect(convertTasksFile('package.json', '{ nope')).rejects.toThrow(/package\.json is not valid JSON/)
    await expect(convertTasksFile('package.json', '{"name":"x"}')).rejects.toThrow(/has no tasks to convert/)
  })
})
