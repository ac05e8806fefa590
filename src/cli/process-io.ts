/** The real `Io`: this process's argv, environment, terminal and signals. */
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { createInterface } from 'node:readline/promises'
import type { Io } from '../io.js'
import { main } from '../main.js'

export async function runCli(): Promise<void> {
  let signalled = false
  // runts' own output is masked before it is written; these bypass the masking of other writers below.
  const stdout = { write: process.stdout.write.bind(process.stdout) }
  const stderr = { write: process.stderr.write.bind(process.stderr) }
  const io: Io = {
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    env: process.env,
    stdout,
    stderr,
    interactive: Boolean(process.stdin.isTTY),
    colorTerminal: Boolean(process.stderr.isTTY),
    cpus: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
    now: () => performance.now(),
    readFile: (file) => {
      try {
        return readFileSync(file, 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
    },
    ask: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr })
      try {
        return /^y(es)?$/i.test((await rl.question(question)).trim())
      } finally {
        rl.close()
      }
    },
    onSignal: (handler) => {
      const on = (signal: NodeJS.Signals) => {
        signalled = true
        handler(signal)
      }
      process.on('SIGINT', on)
      process.on('SIGTERM', on)
      return () => {
        process.off('SIGINT', on)
        process.off('SIGTERM', on)
      }
    },
    maskProcessOutput: (mask) => {
      for (const stream of [process.stdout, process.stderr]) {
        const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
        stream.write = ((chunk: unknown, ...rest: unknown[]) =>
          write(
            typeof chunk === 'string' ? mask(chunk) : chunk instanceof Uint8Array ? mask(Buffer.from(chunk).toString()) : chunk,
            ...rest,
          )) as typeof stream.write
      }
    },
  }
  const code = await main(io)
  process.exitCode = code
  // A stopped run may leave a task's own timers or sockets behind: do not wait for them.
  if (signalled) process.stderr.write('', () => process.exit(code))
}
