/**
 * `run --init --from`: each file of the corpus (test/fixtures/from/) is converted by the built CLI
 * (`run --init --from FILE` in a copy of its folder), then every task it wrote is run twice, by the
 * original (`bash run.sh TASK ARGS`, `make -s TARGET ARGS="ARGS"`, `npm run SCRIPT -- ARGS`) in another copy and by
 * `run TASK ARGS` in the converted one, and both must print the same stdout and exit the same way. Each
 * converted file must also type-check against runts' types and be left unchanged by `biome format`.
 */
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cli, Project, repo } from '../helpers/project.js'

const corpus = path.join(repo, 'test', 'fixtures', 'from')
const cases: Record<string, Record<string, string[][]>> = JSON.parse(readFileSync(path.join(corpus, 'cases.json'), 'utf8'))
const files = Object.keys(cases).filter((key) => key !== '//')
const SECRET = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|AUTH|CREDENTIAL/i

interface Result {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a command with stdin closed (as runts gives its commands), capturing its output. */
function capture(command: string, args: string[], cwd: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

function original(file: string, task: string, args: string[], cwd: string): Promise<Result> {
  const base = path.basename(file)
  // make -s: without it make echoes each recipe line without `@` on stdout, which `run -x` shows on stderr instead.
  // Arguments go to make as `ARGS="..."` (which `$(ARGS)` splits at blanks: the cases use none inside one).
  if (base === 'Makefile') return capture('make', ['-s', task, ...(args.length > 0 ? [`ARGS=${args.join(' ')}`] : [])], cwd)
  if (base === 'package.json') return capture('npm', ['run', task, '--', ...args], cwd)
  return capture('bash', [base, task, ...args], cwd)
}

/** npm prints `> name@1.0.0 script` and `> command` lines (between blank lines) on stdout before each script: not the script's output. */
function withoutNpmBanners(stdout: string): string {
  return stdout.replace(/\n?> [^\n]+@[^\n]+ [^\n]+\n(?:> [^\n]*\n)*\n/g, '')
}

/** runts prints `***` for secret values from .env; the original printed them. */
function masked(stdout: string, dir: string): string {
  let env = ''
  try {
    env = readFileSync(path.join(dir, '.env'), 'utf8')
  } catch {}
  for (const [, name, value] of env.matchAll(/^([A-Z_][A-Z0-9_]*)=(.*)$/gm)) {
    if (SECRET.test(name!) && value!.length >= 4) stdout = stdout.split(value!).join('***')
  }
  return stdout
}

const cleanup: string[] = []
afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true })
})

/** What `run --init --from` said on stderr: the tasks it wrote, and each `dropped X: why` line. */
function said(stderr: string): { tasks: string[]; dropped: string[] } {
  const tasks = /^wrote tasks\.config\.ts: \d+ tasks?: (.+)$/m.exec(stderr)?.[1]?.split(', ') ?? []
  const dropped = [...stderr.matchAll(/^dropped (.+)$/gm)].map((m) => m[1]!)
  return { tasks, dropped }
}

/** Each corpus folder, copied twice: one left as it is, one converted by the built CLI. */
const converted = await Promise.all(
  files.map(async (file) => {
    const folder = path.join(corpus, path.dirname(file))
    const originalDir = mkdtempSync(path.join(os.tmpdir(), 'runts-from-original-'))
    cpSync(folder, originalDir, { recursive: true })
    const project = new Project()
    cpSync(folder, project.dir, { recursive: true })
    cleanup.push(originalDir, project.dir)
    const init = await project.run(['--init', '--from', path.basename(file)])
    const written = init.code === 0 ? readFileSync(path.join(project.dir, 'tasks.config.ts'), 'utf8') : ''
    return { file, folder, originalDir, project, init, source: written, ...said(init.stderr) }
  }),
)

for (const { file, folder, originalDir, project, init, source, tasks, dropped } of converted) {
  describe(`run --init --from ${file}`, () => {
    it('writes tasks.config.ts beside it and says which tasks it holds', () => {
      expect(init.stderr).not.toMatch(/^error/m)
      expect(init.code).toBe(0)
      expect(init.stdout).toBe('')
      expect(tasks.length).toBeGreaterThan(0)
    })

    const runs = tasks.flatMap((task) => [[], ...(cases[file]![task] ?? [])].map((args) => ({ task, args })))
    it.each(runs)('$task $args: same stdout, same exit', async ({ task, args }) => {
      const before = await original(file, task, args, originalDir)
      const after = await capture(process.execPath, [cli, task, ...args], project.dir)
      const expected = masked(path.basename(file) === 'package.json' ? withoutNpmBanners(before.stdout) : before.stdout, folder)
      expect(after.stdout).toBe(expected)
      if (path.basename(file) === 'Makefile') {
        // make exits 2 whatever failed, and names the command's own code in `Error N`; runts exits with that code.
        const code = /\] Error (\d+)\n/.exec(before.stderr)?.[1]
        expect(after.code).toBe(before.code === 0 ? 0 : Number(code))
      } else {
        expect(after.code).toBe(before.code)
      }
    })

    it('lists the tasks it said it wrote; what it dropped is said in the file too', async () => {
      const list = await capture(process.execPath, [cli, '--list', '--json'], project.dir)
      const names = JSON.parse(list.stdout).map((t: { name: string }) => t.name)
      expect(names.sort()).toEqual([...tasks].sort())
      for (const line of dropped) expect(source).toContain(`// - ${line}\n`)
      expect(source.match(/^\/\/ - /gm)?.length ?? 0).toBe(dropped.length)
    })
  })
}

describe('the converted files', () => {
  it('type-check against runts', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-from-tsc-'))
    cleanup.push(dir)
    mkdirSync(path.join(dir, 'node_modules'))
    symlinkSync(repo, path.join(dir, 'node_modules', 'runts'))
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
    const names = converted.map((c, i) => {
      writeFileSync(path.join(dir, `tasks${i}.ts`), c.source)
      return `tasks${i}.ts`
    })
    const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc')
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', '--types', 'node']
    const typeRoots = ['--typeRoots', path.join(repo, 'node_modules', '@types')]
    expect(() => execFileSync(process.execPath, [tsc, ...args, ...typeRoots, ...names], { cwd: dir, stdio: 'pipe' })).not.toThrow()
  }, 120_000) // one tsc run over six files: seconds alone, much longer on a busy machine

  it.each(files)('%s: biome format leaves it as it is', (file) => {
    const { source } = converted.find((c) => c.file === file)!
    expect(source).not.toBe('')
    const biome = path.join(repo, 'node_modules', '.bin', 'biome')
    const formatted = execFileSync(biome, ['format', '--stdin-file-path=tasks.config.ts'], { cwd: repo, input: source, encoding: 'utf8' })
    expect(formatted).toBe(source)
  })
})
