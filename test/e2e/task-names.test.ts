/**
 * A task name that starts with `-` (issue 23, item 2): `--ci github` wrote `run --yes -x` and
 * `--makefile` wrote `$(RUN) -x`, which list the tasks and exit 0, so CI went green without running
 * anything. The tasks file is refused when it loads (exit 2, naming the task and where it is), so no
 * command writes anything from it; `--init --from` refuses to convert such a name.
 */
import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Project } from '../helpers/project.js'

const projects: Project[] = []
afterAll(() => {
  for (const p of projects) rmSync(p.dir, { recursive: true, force: true })
})

function project(files: Record<string, string>): Project {
  const p = new Project(files)
  projects.push(p)
  return p
}

const NAMED = `import { $, task } from 'runts'
export const check = task({ ci: ['push'], run: () => $\`echo checked\` })

export const dashed = task({ name: '-x', ci: ['push'], run: () => $\`echo dashed ran\` })
`

describe("a task name that starts with '-'", () => {
  it('is refused when the tasks file loads (exit 2), naming it and its line; --ci github and --makefile write nothing', async () => {
    const p = project({ 'tasks.config.ts': NAMED, 'package.json': '{"name":"x","private":true}', 'package-lock.json': '{}' })
    for (const args of [['--list'], ['check'], ['--ci', 'github'], ['--makefile'], ['--yes', '-x']]) {
      const r = await p.run(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toContain(`task({ name: "-x" }): a task name may not start with '-' (\`run -x\` would read it as a flag)`)
      expect(r.stderr).toContain('at tasks.config.ts:4:')
    }
    expect(existsSync(path.join(p.dir, '.github'))).toBe(false)
  })

  it('is refused when an export gives it', async () => {
    const p = project({ 'tasks.config.ts': "import { task } from 'runts'\nconst lint = task(() => {})\nexport { lint as '-l' }\n" })
    const r = await p.run(['--list'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("error: the task '-l' (export '-l'): a task name may not start with '-'")
    expect(r.stderr).toContain('at tasks.config.ts\n')
  })

  it('is not converted from a Makefile, a run.sh or a package.json (exit 2, naming it), and nothing is written', async () => {
    const sources = {
      Makefile: '.PHONY: -x\n-x:\n\t@echo x\n',
      'run.sh': '#!/bin/bash\nfunction -x { echo x; }\n"$@"\n',
      'package.json': '{"name":"x","scripts":{"-x":"echo x"}}\n',
    }
    for (const [file, text] of Object.entries(sources)) {
      const p = project({ [file]: text })
      const r = await p.run(['--init', '--from', file])
      expect(r.code, file).toBe(2)
      expect(r.stderr).toContain(`${file}: '-x' cannot be a task: a task name may not start with '-'`)
      expect(existsSync(path.join(p.dir, 'tasks.config.ts'))).toBe(false)
    }
    // A blank script name would make a tasks file that does not load: refused too.
    const blank = project({ 'package.json': '{"scripts":{" ":"echo x"}}\n' })
    const r = await blank.run(['--init', '--from', 'package.json'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("package.json: ' ' cannot be a task: a task name may not be empty or blank")
  })
})
