/** Finding the tasks file: upward from the current folder, or `-f FILE`. */
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { ExitCode, RuntsError } from '../errors.js'

export const TASKS_FILE_NAMES = ['tasks.config.ts', 'tasks.config.mts', 'tasks.config.js', 'tasks.config.mjs'] as const

export function findTasksFile(cwd: string, explicit: string | undefined): string {
  if (explicit !== undefined) {
    const file = path.resolve(cwd, explicit)
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new RuntsError('no-tasks-file', `tasks file not found: ${file}`, {
        exitCode: ExitCode.usage,
        hint: 'check the path given to -f/--file',
      })
    }
    return file
  }
  const searched: string[] = []
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    searched.push(dir)
    for (const name of TASKS_FILE_NAMES) {
      const file = path.join(dir, name)
      if (existsSync(file)) return file
    }
    if (path.dirname(dir) === dir) break
  }
  throw new RuntsError(
    'no-tasks-file',
    `no tasks file found: looked for ${TASKS_FILE_NAMES.join(', ')} in\n${searched.map((d) => `  ${d}`).join('\n')}`,
    { exitCode: ExitCode.usage, hint: 'create tasks.config.ts in your project root, or name one with -f FILE' },
  )
}
