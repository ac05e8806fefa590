/** A fake `Io` for `main()`: output captured as text, timings normalised. */
import type { Io } from '../../src/io.js'
import { main } from '../../src/main.js'

export interface FakeRun {
  code: number
  stdout: string
  stderr: string
  asked: string[]
}

export interface FakeOptions {
  env?: Record<string, string>
  interactive?: boolean
  answers?: boolean[]
  cwd: string
}

export async function runMain(argv: string[], options: FakeOptions): Promise<FakeRun> {
  let stdout = ''
  let stderr = ''
  const asked: string[] = []
  const answers = [...(options.answers ?? [])]
  const io: Io = {
    argv,
    cwd: options.cwd,
    env: { PATH: process.env.PATH, ...options.env },
    stdout: {
      write: (t) => {
        stdout += typeof t === 'string' ? t : Buffer.from(t).toString()
      },
    },
    stderr: {
      write: (t) => {
        stderr += typeof t === 'string' ? t : Buffer.from(t).toString()
      },
    },
    entry: undefined,
    terminal: { stdin: options.interactive ?? false, stdout: false, stderr: false, columns: () => undefined },
    cpus: 4,
    now: () => 0,
    importModule: (url) => import(url),
    ask: async (question): Promise<boolean | 'interrupted'> => {
      asked.push(question)
      return answers.shift() ?? false
    },
    onSignal: () => () => {},
    chdir: () => {},
    setEnv: () => {},
    guard: () => () => {},
    captureProcessOutput: () => {},
  }
  const code = await main(io)
  return { code, stdout, stderr, asked }
}
