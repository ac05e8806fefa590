/** A fake `Io` for `main()`: output captured as text, timings normalised. */
import { readFileSync, writeFileSync } from 'node:fs'
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
    interactive: options.interactive ?? false,
    colorTerminal: false,
    cpus: 4,
    now: () => 0,
    importModule: (url) => import(url),
    readFile: (file) => {
      try {
        return readFileSync(file, 'utf8')
      } catch {
        return undefined
      }
    },
    writeFile: (file, text) => writeFileSync(file, text),
    ask: async (question): Promise<boolean | 'interrupted'> => {
      asked.push(question)
      return answers.shift() ?? false
    },
    onSignal: () => () => {},
    chdir: () => {},
    captureProcessOutput: () => {},
  }
  const code = await main(io)
  return { code, stdout, stderr, asked }
}
