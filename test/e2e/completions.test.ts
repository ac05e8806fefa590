/**
 * Completions as a person uses them: a real bash, zsh and fish under tmux, with a clean rc file that
 * loads `run --completions SHELL`, typing `run publish:t` and Tab, and reading the screen. `run` is
 * the built CLI, in a project whose tasks file has the tasks below.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, repo } from '../helpers/project.js'
import { killAll, type ShellName, Tmux } from '../helpers/tmux.js'

const TASKS = `import { task } from 'runts'
export const publishTest = task({ name: 'publish:test', description: 'Publish to the test registry', run: () => {} })
export const publishProd = task({ name: 'publish:prod', description: 'Publish to production', run: () => {} })
export const build = task({ description: 'Build the package', run: () => {} })
`
const RC: Record<ShellName, string> = {
  bash: 'eval "$(run --completions bash)"',
  zsh: 'eval "$(run --completions zsh)"',
  // Autosuggestions would show a completion in grey before any Tab: off, so the screen shows only what Tab did.
  fish: 'set -g fish_autosuggestion_enabled 0\nrun --completions fish | source',
}

let dir: string
let project: string

beforeAll(() => {
  dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'runts-completions-')))
  mkdirSync(path.join(dir, 'bin'))
  writeFileSync(path.join(dir, 'bin', 'run'), `#!/bin/sh\nexec '${process.execPath}' '${cli}' "$@"\n`)
  chmodSync(path.join(dir, 'bin', 'run'), 0o755)
  project = path.join(dir, 'project')
  mkdirSync(path.join(project, 'node_modules'), { recursive: true })
  symlinkSync(repo, path.join(project, 'node_modules', 'runts'))
  writeFileSync(path.join(project, 'tasks.config.ts'), TASKS)
  for (const file of ['other.tasks.ts', 'vars.env']) writeFileSync(path.join(project, file), '')
  // The tasks file compiled once now, not by the first Tab: on a loaded machine that compile alone can
  // outlast a test's wait, and a Ctrl-C that cuts it short leaves the next Tab to compile again.
  const listed = spawnSync(process.execPath, [cli, '--list'], { cwd: project, encoding: 'utf8' })
  if (listed.status !== 0) throw new Error(`run --list failed: ${listed.stderr}`)
})

afterAll(() => {
  killAll()
  rmSync(dir, { recursive: true, force: true })
})

describe.each(['bash', 'zsh', 'fish'] as const)('%s', (shell) => {
  let term: Tmux
  beforeAll(async () => {
    term = await Tmux.start({
      shell,
      rc: RC[shell],
      cwd: project,
      env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` },
    })
  })
  afterAll(() => term?.kill())

  /** The line being typed: the last one that starts with the prompt (zsh and fish list candidates below it). */
  const commandLine = (screen: string) =>
    screen
      .split('\n')
      .findLast((l) => l.startsWith(term.prompt))
      ?.trimEnd() ?? ''
  /** Types a line, presses Tab, and waits until the line being typed reads `expected`. */
  const complete = async (typed: string, expected: string) => {
    await term.freshPrompt()
    term.type(typed)
    await term.waitFor((s) => commandLine(s) === `${term.prompt}${typed}`)
    term.press('Tab')
    return term.waitFor((s) => commandLine(s) === `${term.prompt}${expected}`.trimEnd())
  }

  it('completes a task name with a colon: publish:t to publish:test', async () => {
    // Bash cuts words at ':'; a completion that did not put the word back together gives `run publish:publish:test`.
    await complete('run publish:t', 'run publish:test')
  })

  it('completes the shared part of two names, then lists both', async () => {
    await complete('run pu', 'run publish:')
    term.press('Tab')
    if (shell === 'bash') term.press('Tab')
    const listed = (s: string) => s.split('\n').filter((l) => !l.startsWith(term.prompt))
    const screen = await term.waitFor((s) => listed(s).some((l) => /prod/.test(l)) && listed(s).some((l) => /test/.test(l)))
    // zsh and fish show descriptions; bash has no place for them.
    if (shell !== 'bash') expect(screen).toMatch(/Publish to production/)
    if (shell !== 'bash') expect(screen).toMatch(/Publish to the test registry/)
  })

  it('completes a name without a colon', async () => {
    await complete('run b', 'run build ')
  })

  it('completes file names after -f, --env-file and --report', async () => {
    await complete('run -f oth', 'run -f other.tasks.ts ')
    await complete('run --env-file va', 'run --env-file vars.env ')
    await complete('run --report=oth', 'run --report=other.tasks.ts ')
  })

  it('completes flags and their values', async () => {
    await complete('run --env-f', 'run --env-file ')
    await complete('run --output gr', 'run --output grouped ')
  })
})

describe('installed as the README says', () => {
  /** A shell, non-interactive, with a temp HOME and `run` on PATH, listing the candidates for `line` as Tab would. */
  const candidates = (shell: string, script: string, home: string) => {
    const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` }
    const result = spawnSync(shell, ['-c', script], { cwd: project, env, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`${shell} failed: ${result.stderr}`)
    return result.stdout
  }

  it('fish: the script saved in ~/.config/fish/completions is loaded on its own', () => {
    const home = mkdtempSync(path.join(dir, 'home-'))
    // The command the README gives, run in that shell.
    candidates('fish', 'mkdir -p ~/.config/fish/completions && run --completions fish > ~/.config/fish/completions/run.fish', home)
    expect(candidates('fish', 'complete -C "run publish:t"', home)).toBe('publish:test\tPublish to the test registry\n')
  })

  it('bash and zsh: the script saved in a file and sourced, with no `run` on PATH and (zsh) no compinit of its own', () => {
    const registered = { bash: 'complete -p run', zsh: 'echo $_comps[run]' }
    for (const shell of ['bash', 'zsh'] as const) {
      const home = mkdtempSync(path.join(dir, 'home-'))
      candidates(shell, `run --completions ${shell} > ~/.run-completion.${shell}`, home)
      const sourced = spawnSync(shell, ['-c', `source ~/.run-completion.${shell} && ${registered[shell]}`], {
        env: { HOME: home, PATH: '/usr/bin:/bin' },
        encoding: 'utf8',
      })
      expect(sourced.stderr).toBe('')
      expect(sourced.stdout).toBe(shell === 'bash' ? 'complete -F _runts_complete run\n' : '_runts\n')
    }
  })
})
