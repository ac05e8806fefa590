/** The real `Io`: this process's argv, environment, terminal and signals. */
import os from 'node:os'
import type { Io } from '../io.js'
import { main } from '../main.js'

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/** The whole CLI; `importModule` is the entry module's `import()`. */
export async function runCli(importModule: (url: string) => Promise<unknown>): Promise<void> {
  // runts' own output is masked before it is written; these bypass the masking of other writers below.
  // A reader that goes away (`run … | head`) stops the run like SIGPIPE would, and nothing more is written there.
  const signalHandlers = new Set<(signal: NodeJS.Signals) => void>()
  const closed = new Set<NodeJS.WriteStream>()
  const guard = (stream: NodeJS.WriteStream) => {
    const write = stream.write.bind(stream) as (chunk: string | Uint8Array, done?: () => void) => boolean
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error
      if (closed.has(stream)) return
      closed.add(stream)
      for (const handler of signalHandlers) handler('SIGPIPE')
      if (signalHandlers.size === 0) process.exit(141)
    })
    return {
      write: (chunk: string | Uint8Array, done?: () => void): boolean => {
        if (!closed.has(stream)) return write(chunk, done)
        done?.()
        return true
      },
    }
  }
  const stdout = guard(process.stdout)
  const stderr = guard(process.stderr)
  const io: Io = {
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    env: process.env,
    entry: process.argv[1],
    stdout,
    stderr,
    terminal: {
      // A getter: touching process.stdin creates its stream, which only a confirm question needs.
      get stdin() {
        return Boolean(process.stdin.isTTY)
      },
      stderr: Boolean(process.stderr.isTTY),
    },
    cpus: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
    now: () => performance.now(),
    importModule,
    ask: async (question) => {
      const { createInterface } = await import('node:readline/promises')
      const rl = createInterface({ input: process.stdin, output: process.stderr })
      try {
        return /^y(es)?$/i.test((await rl.question(question)).trim())
      } catch (error) {
        // Ctrl-C at the prompt stops runts; Ctrl-D (end of input) is a no.
        if (/Ctrl\+C/.test(String((error as Error).message))) return 'interrupted'
        return false
      } finally {
        rl.close()
      }
    },
    onSignal: (handler) => {
      const on = (signal: NodeJS.Signals) => {
        handler(signal)
      }
      for (const signal of SIGNALS) process.on(signal, on)
      signalHandlers.add(on)
      return () => {
        for (const signal of SIGNALS) process.off(signal, on)
        signalHandlers.delete(on)
      }
    },
    chdir: (dir) => process.chdir(dir),
    captureProcessOutput: (handler) => {
      for (const [name, stream] of [
        ['stdout', process.stdout],
        ['stderr', process.stderr],
      ] as const) {
        const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
        stream.write = ((chunk: unknown, ...rest: unknown[]) => {
          const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString() : String(chunk)
          const out = handler(name, text)
          if (out !== undefined) return write(out, ...rest)
          const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined
          done?.()
          return true
        }) as typeof stream.write
      }
    },
  }
  const code = await main(io)
  process.exitCode = code
  // A task's JavaScript may leave timers or sockets behind (a stopped task, a server it started): do not wait for them.
  stdout.write('', () => stderr.write('', () => process.exit(code)))
  // A closed pipe never calls back.
  setTimeout(() => process.exit(code), 1000).unref()
}
