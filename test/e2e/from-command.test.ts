// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected texts quote bash, placeholders included
/**
 * `run --init --from FILE` as a command, through the built CLI: where it writes, what it says, what it
 * refuses, the .gitignore it leaves, and that a secret the original read with `source .env` is masked by
 * runts from then on.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Project, runProcess } from '../helpers/project.js'

const RUN_SH = `#!/usr/bin/env bash
set -e
THIS_DIR="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"

function load_dot_env {
    set -o allexport
    source "$THIS_DIR/.env"
    set +o allexport
}

# Build the package
function build {
    echo "building in $(basename "$PWD")"
}

# Upload it with the token from .env
function publish {
    load_dot_env
    echo "uploading to $REGISTRY with $API_TOKEN"
}

function help {
    compgen -A function
}

"\${@:-help}"
`
const SECRET = 'sk-live-4242-abcdef'
const ENV = `API_TOKEN=${SECRET}\nREGISTRY=https://registry.example\n`

const projects: Project[] = []
afterEach(() => {
  for (const p of projects.splice(0)) rmSync(p.dir, { recursive: true, force: true })
})

function project(files: Record<string, string>): Project {
  const p = new Project(files)
  projects.push(p)
  return p
}

describe('run --init --from, the command', () => {
  it('writes tasks.config.ts, says which tasks it holds and one line per thing it dropped, on stderr', async () => {
    const p = project({ 'run.sh': RUN_SH, '.env': ENV })
    const init = await p.run(['--init', '--from', 'run.sh'])
    expect(init.code).toBe(0)
    expect(init.stdout).toBe('')
    const lines = init.stderr.trimEnd().split('\n')
    expect(lines[0]).toBe('wrote tasks.config.ts: 2 tasks: build, publish')
    expect(lines[1]).toBe('added .env, .env.local, node_modules/ to .gitignore')
    expect(lines.filter((l) => l.startsWith('dropped '))).toEqual([
      'dropped THIS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)": THIS_DIR is now "$PWD" (the prelude sets it): the project root, where runts runs commands',
      'dropped "${@:-help}": `run TASK ARGS` runs the task named on its command line',
      'dropped load_dot_env(): runts loads .env (then .env.local) before any task runs, and masks its secrets',
      'dropped help(): `run help` (or `run`) lists the tasks with their descriptions',
    ])
    expect(lines.at(-1)).toBe("next: 'npx runts' lists the tasks; 'npx runts TASK' runs one as run.sh did")
    // `./run.sh help` exited 0: `run help` still does, listing the tasks.
    expect((await runProcess('bash', ['run.sh', 'help'], { cwd: p.dir })).code).toBe(0)
    const help = await p.run(['help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('build    Build the package\n')
    const list = await p.run(['--list', '--json'])
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ name: 'build', description: 'Build the package' }),
      expect.objectContaining({ name: 'publish', description: 'Upload it with the token from .env' }),
    ])
  })

  it('masks, from then on, a secret the original read with source .env; the secret is in no file it wrote and nothing it printed', async () => {
    const p = project({ 'run.sh': RUN_SH, '.env': ENV })
    const before = await runProcess('bash', ['run.sh', 'publish'], { cwd: p.dir })
    expect(before.stdout).toBe(`uploading to https://registry.example with ${SECRET}\n`)
    const init = await p.run(['--init', '--from', 'run.sh'])
    expect(init.code).toBe(0)
    const publish = await p.run(['publish'])
    expect(publish.code).toBe(0)
    expect(publish.stdout).toBe('uploading to https://registry.example with ***\n')
    expect(publish.stderr).not.toContain(SECRET)
    expect(readFileSync(path.join(p.dir, 'tasks.config.ts'), 'utf8')).not.toContain(SECRET)
    expect(init.stderr).not.toContain(SECRET)
  })

  it('makes what a task reads from .env its env: a token missing from .env stops the run (exit 2) where the original went on', async () => {
    // Names from .env.example (the values never leave .env): a fresh clone has no .env yet.
    const p = project({ 'run.sh': RUN_SH, '.env.example': 'API_TOKEN=\nREGISTRY=https://registry.example\n' })
    const init = await p.run(['--init', '--from', 'run.sh'])
    expect(init.code).toBe(0)
    expect(readFileSync(path.join(p.dir, 'tasks.config.ts'), 'utf8')).toContain("  env: ['REGISTRY', 'API_TOKEN'],\n")
    p.write({ '.env': 'REGISTRY=https://registry.example\n' })
    const before = await runProcess('bash', ['run.sh', 'publish'], { cwd: p.dir })
    expect(before.code).toBe(0)
    expect(before.stdout).toBe('uploading to https://registry.example with \n') // an empty token, on to the server
    const publish = await p.run(['publish'])
    expect(publish.code).toBe(2)
    expect(publish.stdout).toBe('')
    expect(publish.stderr).toContain('API_TOKEN')
    expect((await p.run(['build'])).code).toBe(0) // build loads no .env: it needs nothing from it
  })

  it('says when a secret reaches a command line, where ps shows it: in the file, above the task, and on stderr', async () => {
    const runSh = [
      'set -euo pipefail',
      'load_env() { set -a; source .env; set +a; }',
      '_upload() {',
      '  local token=$1',
      '  shift',
      '  echo twine upload -u __token__ -p "$token" "$@"',
      '  env twine=upload -p "$token" true',
      '}',
      '# Upload to PyPI',
      'publish() { load_env; _upload "$PYPI_TOKEN" dist/*; }',
      '# Log in without showing the token',
      'login() { load_env; echo "$PYPI_TOKEN" | env true --password-stdin; }',
      '"$@"',
      '',
    ].join('\n')
    const p = project({ 'run.sh': runSh, '.env': 'PYPI_TOKEN=pypi-AgEIcHlwaS5vcmc-secret\n' })
    const init = await p.run(['--init', '--from', 'run.sh'])
    expect(init.code).toBe(0)
    const note =
      'env gets PYPI_TOKEN on its command line, where ps shows it to every user of this machine: give it to env in its environment or on stdin instead.'
    expect(init.stderr.split('\n').filter((line) => line.startsWith('note '))).toEqual([`note publish: ${note}`])
    const source = readFileSync(path.join(p.dir, 'tasks.config.ts'), 'utf8')
    expect(source).toContain(`// ${note}\nexport const publish = task({`)
    expect(init.stderr).not.toContain('pypi-AgEIcHlwaS5vcmc-secret')
  })

  it('adds only the .gitignore entries missing, keeping the file as it was', async () => {
    const p = project({ 'run.sh': RUN_SH, '.gitignore': '/node_modules\n*.pyc' })
    const init = await p.run(['--init', '--from', 'run.sh'])
    expect(init.code).toBe(0)
    expect(init.stderr).toContain('added .env, .env.local to .gitignore\n')
    expect(readFileSync(path.join(p.dir, '.gitignore'), 'utf8')).toBe('/node_modules\n*.pyc\n.env\n.env.local\n')
    const all = project({ 'run.sh': RUN_SH, '.gitignore': '.env\n.env.local\nnode_modules/\n' })
    const again = await all.run(['--init', '--from', 'run.sh'])
    expect(again.stderr).not.toContain('.gitignore')
    expect(readFileSync(path.join(all.dir, '.gitignore'), 'utf8')).toBe('.env\n.env.local\nnode_modules/\n')
  })

  it("writes beside FILE, in FILE's folder, whatever folder it is run from", async () => {
    const p = project({ 'tasks.config.ts': '// the parent project\n', 'tools/Makefile': '.PHONY: hi\nhi:\n\t@echo hi from make\n' })
    const init = await p.run(['--init', '--from', 'tools/Makefile'])
    expect(init.code).toBe(0)
    expect(init.stderr).toMatch(/^wrote tools\/tasks\.config\.ts: 1 task: hi\n/)
    expect(init.stderr).toContain('added .env, .env.local, node_modules/ to tools/.gitignore\n')
    expect(init.stderr).toContain("next: in tools, 'npx runts' lists the tasks")
    expect(readFileSync(path.join(p.dir, 'tasks.config.ts'), 'utf8')).toBe('// the parent project\n')
    const hi = await p.run(['hi'], { cwd: path.join(p.dir, 'tools') })
    expect(hi.stdout).toBe('hi from make\n')
  })

  it('refuses to overwrite a tasks file (exit 2, naming it) and writes nothing', async () => {
    const p = project({ 'run.sh': RUN_SH, 'tasks.config.ts': '// mine\n' })
    const init = await p.run(['--init', '--from', 'run.sh'])
    expect(init.code).toBe(2)
    expect(init.stderr).toContain(`tasks.config.ts already exists in ${p.dir}; --init does not overwrite it`)
    expect(readFileSync(path.join(p.dir, 'tasks.config.ts'), 'utf8')).toBe('// mine\n')
    expect(existsSync(path.join(p.dir, '.gitignore'))).toBe(false)
  })

  it('reads only a regular file of at most 4 MiB: a FIFO, a device or a huge file is refused at once (exit 2)', async () => {
    const p = project({ 'big.sh': `#!/bin/bash\n${'# padding\n'.repeat(450_000)}build() { :; }\n"$@"\n` })
    await runProcess('mkfifo', ['pipe.sh'], { cwd: p.dir })
    const fifo = await p.run(['--init', '--from', 'pipe.sh'])
    expect(fifo.code).toBe(2)
    expect(fifo.stderr).toContain(`error: cannot read ${path.join(p.dir, 'pipe.sh')}: it is not a regular file`)
    const device = await p.run(['--init', '--from', '/dev/zero'])
    expect(device.code).toBe(2)
    expect(device.stderr).toContain('error: cannot read /dev/zero: it is not a regular file')
    const big = await p.run(['--init', '--from', 'big.sh'])
    expect(big.code).toBe(2)
    expect(big.stderr).toContain('it is 4.3 MiB, more than a task file runts converts (4 MiB)')
    expect(existsSync(path.join(p.dir, 'tasks.config.ts'))).toBe(false)
  })

  it('says clearly that FILE is missing, a folder, of a kind it does not read, or not bash (exit 2)', async () => {
    const p = project({ 'notes.txt': 'build: make it\n', 'broken.sh': 'build() {\n  if true; then echo x\n}\n"$@"\n', 'docs/a.md': '' })
    const missing = await p.run(['--init', '--from', 'nope.sh'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain(`error: cannot read ${path.join(p.dir, 'nope.sh')}: no such file`)
    expect(missing.stderr).toContain('hint: give --from the path of a run.sh, a Makefile or a package.json')
    const folder = await p.run(['--init', '--from', 'docs'])
    expect(folder.code).toBe(2)
    expect(folder.stderr).toContain(`error: cannot read ${path.join(p.dir, 'docs')}: it is a folder`)
    const unsupported = await p.run(['--init', '--from', 'notes.txt'])
    expect(unsupported.code).toBe(2)
    expect(unsupported.stderr).toContain('cannot convert')
    expect(unsupported.stderr).toContain('it reads bash task files, Makefiles and package.json')
    const broken = await p.run(['--init', '--from', 'broken.sh'])
    expect(broken.code).toBe(2)
    expect(broken.stderr).toMatch(/broken\.sh:\d+:\d+: bash cannot parse this/)
    expect(broken.stderr).toContain('bash -n broken.sh')
    for (const r of [missing, folder, unsupported, broken]) expect(r.stdout).toBe('')
    expect(existsSync(path.join(p.dir, 'tasks.config.ts'))).toBe(false)
    expect(existsSync(path.join(p.dir, '.gitignore'))).toBe(false)
  })
})
