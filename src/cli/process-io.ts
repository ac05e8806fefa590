/** The real `Io`: this process's argv, environment, terminal and signals. */
import os from 'node:os'
import { currentScope } from '../api/context.js'
import { exitCodeAfterOutputFailed, signalExitCode } from '../errors.js'
import type { Io } from '../io.js'
import { monotonicNow } from '../run/clock.js'
import { TaskExit } from '../run/failure.js'

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/** The whole CLI: `main` with this process as its Io; `importModule` is the entry module's `import()`. */
export async function runCli(main: (io: Io) => Promise<number>, importModule: (url: string) => Promise<unknown>): Promise<void> {
  // runts' own output is masked before it is written; these bypass the masking of other writers below.
  // A reader that goes away (`run … | head`) stops the run like SIGPIPE would, and nothing more is written there.
  // Any other write error (a full disk: ENOSPC) stops the run the same way, and ends runts with an error.
  const signalHandlers = new Set<(signal: NodeJS.Signals) => void>()
  const closed = new Set<NodeJS.WriteStream>()
  let writeFailed: { stream: string; error: NodeJS.ErrnoException } | undefined
  const guard = (stream: NodeJS.WriteStream, name: string) => {
    const write = stream.write.bind(stream) as (chunk: string | Uint8Array, done?: () => void) => boolean
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (closed.has(stream)) return
      closed.add(stream)
      if (error.code !== 'EPIPE') writeFailed ??= { stream: name, error }
      for (const handler of signalHandlers) handler('SIGPIPE')
      if (signalHandlers.size === 0 && error.code === 'EPIPE') process.exit(signalExitCode('SIGPIPE'))
    })
    return {
      write: (chunk: string | Uint8Array, done?: () => void): boolean => {
        if (!closed.has(stream)) return write(chunk, done)
        done?.()
        return true
      },
      drained: (then: () => void) => {
        if (!stream.writableNeedDrain || closed.has(stream)) then()
        else stream.once('drain', then)
      },
    }
  }
  const stdout = guard(process.stdout, 'stdout')
  const stderr = guard(process.stderr, 'stderr')
  const io: Io = {
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    env: { ...process.env },
    // One new object, not one setenv() per variable: glibc's setenv scans the whole environment each time,
    // so a .env of 30,000 lines took seconds, and one of 10 MB never ended.
    setEnv: (values) => {
      process.env = { ...values }
    },
    entry: process.argv[1],
    stdout,
    stderr,
    terminal: {
      // A getter: touching process.stdin creates its stream, which only a confirm question needs.
      get stdin() {
        return Boolean(process.stdin.isTTY)
      },
      stdout: Boolean(process.stdout.isTTY),
      stderr: Boolean(process.stderr.isTTY),
      columns: () => process.stderr.columns,
    },
    cpus: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
    now: monotonicNow,
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
    guard: (handlers) => {
      const exit = process.exit
      process.exit = ((code?: number | string | null) => {
        const task = currentScope().task
        if (task === undefined) return exit(code)
        const error = new TaskExit(Number(code ?? process.exitCode ?? 0) || 0)
        handlers.crash(task, error)
        throw error
      }) as typeof process.exit
      const onError = (error: unknown) => handlers.crash(currentScope().task, error)
      const onIdle = () => handlers.idle()
      process.on('uncaughtException', onError)
      process.on('unhandledRejection', onError)
      process.on('beforeExit', onIdle)
      return () => {
        process.exit = exit
        process.off('uncaughtException', onError)
        process.off('unhandledRejection', onError)
        process.off('beforeExit', onIdle)
      }
    },
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
  // Output that could not be written is an error, whatever else happened.
  // A stream reports a failed write after its callbacks ran: look once everything pending has run.
  const exit = () => setImmediate(exitNow)
  const exitNow = () => {
    if (!writeFailed) return process.exit(code)
    const { stream, error } = writeFailed
    const why = error.message.replace(/^\w+: /, '').replace(/, write$/, '')
    stderr.write(`error: could not write to ${stream}: ${why} (${error.code}); what runts was doing was stopped\n`)
    process.exit(exitCodeAfterOutputFailed(code))
  }
  // A task's JavaScript may leave timers or sockets behind (a stopped task, a server it started): do not wait for them.
  stdout.write('', () => stderr.write('', exit))
  // A closed pipe never calls back.
  setTimeout(exit, 1000).unref()
}
