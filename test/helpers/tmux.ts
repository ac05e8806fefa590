/**
 * A real interactive shell under tmux, driven as a person drives it: type, press keys, read the screen.
 * Each session runs on its own tmux server, its socket in the session's own temp folder (`tmux -S`), so
 * tests never touch another tmux, and `killAll()` (call it in afterAll) stops every server this process
 * started and removes its folder.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export type ShellName = 'bash' | 'zsh' | 'fish'

export interface SessionOptions {
  shell: ShellName
  /** Lines run at start-up, after the prompt is set (a clean rc file: nothing of the machine's). */
  rc: string
  cwd: string
  env?: Record<string, string>
  width?: number
  height?: number
}

const live = new Set<Tmux>()
let counter = 0

export class Tmux {
  /** A temp HOME holding the rc file and the server's socket, removed by kill(). */
  readonly home = mkdtempSync(path.join(os.tmpdir(), `runts-tmux-${process.pid}-${++counter}-`))
  readonly socket = path.join(this.home, 'tmux.sock')
  readonly prompt: string

  private constructor(readonly options: SessionOptions) {
    this.prompt = { bash: '$ ', zsh: '% ', fish: '> ' }[options.shell]
  }

  /** Starts the shell and waits for its first prompt. */
  static async start(options: SessionOptions): Promise<Tmux> {
    const session = new Tmux(options)
    live.add(session)
    const { shell, rc, width = 100, height = 30 } = options
    const home = session.home
    const env: Record<string, string> = {
      HOME: home,
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local/share'),
      ...options.env,
    }
    let command: string[]
    if (shell === 'bash') {
      writeFileSync(path.join(home, '.bashrc'), `PS1='$ '\n${rc}\n`)
      command = ['bash', '--noprofile', '--rcfile', path.join(home, '.bashrc'), '-i']
    } else if (shell === 'zsh') {
      writeFileSync(path.join(home, '.zshrc'), `PROMPT='%% '\nRPROMPT=''\nautoload -Uz compinit && compinit -u -D\n${rc}\n`)
      env.ZDOTDIR = home
      command = ['zsh', '-i']
    } else {
      mkdirSync(env.XDG_CONFIG_HOME!, { recursive: true })
      writeFileSync(path.join(home, 'rc.fish'), `function fish_prompt; echo -n '> '; end\nset -g fish_greeting\n${rc}\n`)
      command = ['fish', '--no-config', '-C', `source ${path.join(home, 'rc.fish')}`]
    }
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`)
    session.tmux(
      'new-session',
      '-d',
      '-s',
      'main',
      '-x',
      String(width),
      '-y',
      String(height),
      '-c',
      options.cwd,
      'env',
      '-i',
      ...envArgs,
      ...command,
    )
    await session.waitFor((screen) => lastLine(screen) === session.prompt.trimEnd(), 10_000)
    return session
  }

  /** Types text literally. */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', text)
  }

  /** Presses keys by tmux name: 'Tab', 'Enter', 'C-c', 'C-u'. */
  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys)
  }

  /** What the terminal shows now, lines joined where they wrapped, trailing blank lines dropped. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', 'main').replace(/\s+$/, '')
  }

  /** Polls the screen until `test` holds (a string it contains, a pattern, or a function); throws with the screen at the deadline. */
  async waitFor(test: string | RegExp | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const ok = typeof test === 'function' ? test : (s: string) => (typeof test === 'string' ? s.includes(test) : test.test(s))
    const deadline = Date.now() + timeoutMs
    let screen = ''
    while (Date.now() < deadline) {
      screen = this.screen()
      if (ok(screen)) return screen
      await new Promise((resolve) => setTimeout(resolve, 40))
    }
    throw new Error(`the screen never showed ${String(test)} in ${timeoutMs} ms; it shows:\n${screen}`)
  }

  /** Abandons the line being typed and waits for a fresh, empty prompt at the bottom. */
  async freshPrompt(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    // A Ctrl-C that lands while a completion function still runs stops that function, not the line: again.
    for (;;) {
      this.press('C-c')
      this.tmux('clear-history', '-t', 'main')
      this.press('C-l')
      try {
        await this.waitFor((screen) => screen.trim() === this.prompt.trimEnd(), Math.min(1000, deadline - Date.now()))
        return
      } catch (error) {
        if (Date.now() >= deadline) throw error
      }
    }
  }

  /** Everything the terminal held, scrollback included, lines joined where they wrapped. */
  history(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'main').replace(/\s+$/, '')
  }

  /** Copies every byte the programs write to the terminal into `file` from now on (none: stops copying). */
  record(file?: string): void {
    this.tmux('pipe-pane', '-t', 'main')
    if (file) this.tmux('pipe-pane', '-t', 'main', `cat >> '${file}'`)
  }

  kill(): void {
    live.delete(this)
    try {
      this.tmux('kill-server')
    } catch {
      // Already gone.
    }
    // The shell and what it ran get SIGHUP and may still write into the folder as they exit (a history, a
    // cache): wait until none of them is left, then remove it.
    const needle = `HOME=${this.home}\0`
    const deadline = Date.now() + 10_000
    const left = () =>
      readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .some((pid) => {
          try {
            return readFileSync(`/proc/${pid}/environ`, 'latin1').includes(needle)
          } catch {
            return false
          }
        })
    while (left() && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20)
    rmSync(this.home, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 })
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  }
}

/** Kills every session this process started; for afterAll. */
export function killAll(): void {
  for (const session of [...live]) session.kill()
}

export function lastLine(screen: string): string {
  return screen.split('\n').at(-1)!.trimEnd()
}
