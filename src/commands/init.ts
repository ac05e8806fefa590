/** `run --init [--template NAME]`: a tasks file from a template, in the current folder. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from '../cli/args.js'
import { init as scaffold } from '../init/init.js'
import type { Session } from '../session.js'
import { packageRoot } from '../util/package-root.js'

export async function init(command: Extract<Command, { kind: 'init' }>, session: Session): Promise<number> {
  const { cwd } = session.io
  const result = scaffold(cwd, command.template, path.join(packageRoot(fileURLToPath(import.meta.url)), 'tasks'))
  return session.print(
    `wrote ${result.written.join(', ')} (the ${result.template} template) in ${cwd}\nnext: copy .env.example to .env and fill in the tokens; 'run' (node_modules/.bin/run) lists the tasks\n`,
  )
}
