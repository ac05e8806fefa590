/** Finding the tasks file: upward from the current folder, or `-f FILE`. */
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { RuntsError } from '../errors.js'
import { findUp } from '../util/fs.js'

export const TASKS_FILE_NAMES = ['tasks.config.ts', 'tasks.config.mts', 'tasks.config.js', 'tasks.config.mjs'] as const

export function findTasksFile(cwd: string, explicit: string | undefined): string {
  if (explicit !== undefined) {
    const file = path.resolve(cwd, explicit)
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new RuntsError('no-tasks-file', `tasks file not found: ${file}`, { hint: 'check the path given to -f/--file' })
    }
    return file
  }
  const searched: string[] = []
  const found = findUp(cwd, (dir) => {
    searched.push(dir)
    return tasksFileIn(dir)
  })
  if (found) return found
  throw new RuntsError(
    'no-tasks-file',
    `no tasks file found: looked for ${TASKS_FILE_NAMES.join(', ')} in\n${searched.map((d) => `  ${d}`).join('\n')}`,
    { hint: 'create tasks.config.ts in your project root (run --init writes one), or name one with -f FILE' },
  )
}

/** The tasks file in this folder, if there is one. */
export function tasksFileIn(dir: string): string | undefined {
  return TASKS_FILE_NAMES.map((name) => path.join(dir, name)).find((file) => existsSync(file))
}
