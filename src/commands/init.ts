/**
 * `run --init [--template NAME]`: a tasks file from a template, in the
 * current folder; `run --init --from FILE`: converted from a run.sh, a
 * Makefile or a package.json, in that file's folder (where its commands ran).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from '../cli/args.js'
import { ExitCode, RuntsError } from '../errors.js'
import { ignore, refuseExisting, init as scaffold } from '../init/init.js'
import type { Session } from '../session.js'
import { packageRoot } from '../util/package-root.js'

export async function init(command: Extract<Command, { kind: 'init' }>, session: Session): Promise<number> {
  if (command.from !== undefined) return from(command.from, session)
  const { cwd } = session.io
  const result = scaffold(cwd, command.template, path.join(packageRoot(fileURLToPath(import.meta.url)), 'tasks'))
  return session.print(
    `wrote ${result.written.join(', ')} (the ${result.template} template) in ${cwd}\nnext: copy .env.example to .env and fill in the tokens; 'npx runts' lists the tasks\n`,
  )
}

async function from(source: string, session: Session): Promise<number> {
  const file = path.resolve(session.io.cwd, source)
  const dir = path.dirname(file)
  refuseExisting(dir, 'to convert another file')
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new RuntsError(
      'usage',
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      {
        hint: 'give --from the path of a run.sh, a Makefile or a package.json',
      },
    )
  }
  const { convertTasksFile } = await import('../init/from/index.js')
  const conversion = await convertTasksFile(file, text)
  const { writeFileSync } = await import('node:fs')
  writeFileSync(path.join(dir, 'tasks.config.ts'), conversion.source)
  const ignored = ignore(dir, ['.env', '.env.local', 'node_modules/'])
  const { c } = session
  const lines = [
    `wrote ${path.relative(session.io.cwd, path.join(dir, 'tasks.config.ts')) || 'tasks.config.ts'}${ignored ? ' (and .env, node_modules/ in .gitignore)' : ''}: ${conversion.tasks.length} tasks: ${conversion.tasks.join(', ')}`,
    ...conversion.dropped.map((d) => `${c.dim('dropped')} ${d.what}: ${d.why}`),
    `next: 'npx runts' lists the tasks; 'npx runts TASK' runs one as ${path.basename(file)} did`,
  ]
  session.io.stderr.write(session.masker.mask(`${lines.join('\n')}\n`))
  return ExitCode.ok
}
