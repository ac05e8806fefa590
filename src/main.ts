/**
 * The whole CLI, top-down: parse the command line into one command, set up
 * the session, run the command. Returns the exit code; every error is
 * rendered in one place (`Session.fail`).
 */
import { completionFlags, helpText, parseArgs } from './cli/args.js'
import type { Command } from './commands/command.js'
import { list } from './commands/views.js'
import type { Io } from './io.js'
import { Session } from './session.js'
import { VERSION } from './version.js'

type Handler<K extends Command['kind']> = (command: Extract<Command, { kind: K }>, session: Session) => Promise<number>

/** One function per mode; all but the list load only when asked for. */
const COMMANDS: { [K in Command['kind']]: Handler<K> } = {
  help: async (_, session) => session.print(helpText(VERSION)),
  version: async (_, session) => session.print(`${VERSION}\n`),
  list,
  init: async (command, session) => (await import('./commands/init.js')).init(command, session),
  completions: async (command, session) => (await import('./commands/completions.js')).completions(command, session),
  makefile: async (command, session) => (await import('./commands/views.js')).makefile(command, session),
  env: async (command, session) => (await import('./commands/views.js')).env(command, session),
  graph: async (command, session) => (await import('./commands/views.js')).graph(command, session),
  ci: async (command, session) => (await import('./commands/ci.js')).ci(command, session),
  'dry-run': async (command, session) => (await import('./commands/dry-run.js')).dryRun(command, session),
  why: async (command, session) => (await import('./commands/why.js')).why(command, session),
  run: async (command, session) => (await import('./commands/run.js')).run(command, session),
  watch: async (command, session) => (await import('./commands/watch.js')).watch(command, session),
}

export async function main(io: Io): Promise<number> {
  const session = new Session(io)
  try {
    session.debug('started')
    // The completion scripts' call on each Tab (`run --complete -- WORDS…`): its words are half-typed, not a command line.
    if (io.argv[0] === '--complete') {
      const { complete } = await import('./commands/completions.js')
      return await complete(session, io.argv.slice(io.argv[1] === '--' ? 2 : 1), completionFlags())
    }
    const command = parseArgs(io.argv, io.cpus)
    return await (COMMANDS[command.kind] as Handler<Command['kind']>)(command, session)
  } catch (error) {
    return session.fail(error)
  }
}
