/**
 * A dead man's switch for the commands of a run. Each command runs in its own
 * process group, in a session of its own where no terminal signal reaches
 * it; if runts itself dies without stopping them (kill -9, out of memory),
 * nothing would. So the first command of a run also starts this small `sh`
 * (in a session of its own too), which reads the process groups runts starts
 * from a pipe: each command's shell writes its own group there (fd 3) before
 * it runs anything, and runts writes it again once the start returns. When
 * the pipe closes without a goodbye, runts is gone: it
 * stops each group (SIGTERM, then SIGKILL after 3 s) and exits.
 */
import type { ChildProcess } from 'node:child_process'
import type { Writable } from 'node:stream'
import { childProcess } from '../util/lazy-modules.js'

// dash's kill takes a process group as -PGID (without `--`); sleep takes fractions (coreutils).
const SCRIPT = `
groups=
while IFS= read -r line; do
  case $line in
    bye) exit 0 ;;
    -*) groups=$(printf '%s\\n' $groups | grep -vx -- "\${line#-}") ;;
    *) groups="$groups $line" ;;
  esac
done
for g in $groups; do kill -TERM "-$g" 2>/dev/null; done
i=0
while [ $i -lt 30 ]; do
  alive=
  for g in $groups; do kill -0 "-$g" 2>/dev/null && alive=1; done
  [ -z "$alive" ] && exit 0
  sleep 0.1
  i=$((i + 1))
done
for g in $groups; do kill -KILL "-$g" 2>/dev/null; done
`

export class Watchdog {
  private child: ChildProcess | undefined
  private failed = false

  /** From now on, stop this process group if runts dies. */
  watch(group: number): void {
    this.send(`${group}\n`)
  }

  /**
   * The pipe the watchdog reads, started if need be, for a command to write its own group into (as its
   * fd 3) before it runs anything; undefined when the watchdog could not start.
   */
  pipe(): Writable | undefined {
    this.start()
    return this.failed ? undefined : (this.child?.stdin ?? undefined)
  }

  /** The group is gone: forget it (so that a later process reusing its number is never touched). */
  forget(group: number): void {
    if (this.child) this.send(`-${group}\n`)
  }

  /** The run is over and runts is alive: the watchdog can go without stopping anything. */
  async close(): Promise<void> {
    const stdin = this.child?.stdin
    if (!stdin || stdin.destroyed) return
    await new Promise<void>((resolve) => stdin.end('bye\n', () => resolve()))
  }

  private send(line: string): void {
    this.start()
    if (this.failed) return
    this.child?.stdin?.write(line)
  }

  private start(): void {
    if (this.failed || this.child) return
    try {
      const { spawn } = childProcess()
      // Only PATH (for kill, sleep, grep): none of the run's secrets sit in the environment of a process that may outlive it.
      this.child = spawn('/bin/sh', ['-c', SCRIPT], {
        detached: true,
        stdio: ['pipe', 'ignore', 'ignore'],
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      })
      this.child.on('error', () => {
        this.failed = true
      })
      this.child.stdin?.on('error', () => {})
      // Neither the watchdog nor its pipe keeps runts alive.
      this.child.unref()
      ;(this.child.stdin as unknown as { unref?: () => void } | null)?.unref?.()
    } catch {
      this.failed = true
    }
  }
}
