/**
 * The whole CLI, top-down: parse the command line into one command, set up
 * the session, run the command. Returns the exit code; every error is
 * rendered in one place (`Session.fail`).
 */
import { type Command, helpText, parseArgs } from './cli/args.js'
import { env, list, makefile } from './commands/views.js'
import type { Io } from './io.js'
import { Session } from './session.js'
import { VERSION } from './version.js'

type Handler<K extends Command['kind']> = (command: Extract<Command, { kind: K }>, session: Session) => Promise<number>

/** One function per mode; rarely used ones load only when asked for. */
const COMMANDS: { [K in Command['kind']]: Handler<K> } = {
  help: async (_, session) => session.print(helpText(VERSION)),
  version: async (_, session) => session.print(`${VERSION}\n`),
  init: async (command, session) => (await import('./commands/init.js')).init(command, session),
  list,
  makefile,
  env,
  'dry-run': async (command, session) => (await import('./commands/dry-run.js')).dryRun(command, session),
  run: async (command, session) => (await import('./commands/run.js')).run(command, session),
}

export async function main(io: Io): Promise<number> {
  const session = new Session(io)
  try {
    session.debug('started')
    const command = parseArgs(io.argv, io.cpus)
    return await (COMMANDS[command.kind] as Handler<Command['kind']>)(command, session)
  } catch (error) {
    return session.fail(error)
  }
}
