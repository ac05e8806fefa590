/**
 * `run --init [--template NAME]`: a tasks file from a template, in the
 * current folder; `run --init --from FILE`: converted from a run.sh, a
 * Makefile or a package.json, in that file's folder (where its commands ran).
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'dotenv'
import { ExitCode, RuntsError } from '../errors.js'
import { EDITOR_DIR } from '../init/editor-stamp.js'
import { EDITOR_TSCONFIG } from '../init/editor-types.js'
import { ignore, refuseExisting, init as scaffold } from '../init/init.js'
import type { Session } from '../session.js'
import { packageRoot } from '../util/package-root.js'
import type { Command } from './command.js'

export async function init(command: Extract<Command, { kind: 'init' }>, session: Session): Promise<number> {
  if (command.from !== undefined) return from(command.from, session)
  const { cwd } = session.io
  const result = scaffold(cwd, command.template, packageRoot(fileURLToPath(import.meta.url)))
  const wrote = `wrote ${result.written.join(', ')} (the ${result.template} template) in ${cwd}\n`
  if (!result.pypi) return session.print(`${wrote}next: copy .env.example to .env and fill in the tokens; 'npx runts' lists the tasks\n`)
  const { dev, tsconfig } = result.pypi
  const lines = [
    dev.result === 'added'
      ? `added runts to ${dev.place.table} in pyproject.toml`
      : dev.result === 'already'
        ? `pyproject.toml already lists runts in ${dev.place.table}`
        : `${dev.why}: add runts to your dev dependencies yourself, e.g. under ${dev.place.table.replace(/ \w+$/, '')}:\n  ${dev.line}`,
    tsconfig === 'written'
      ? `tsconfig.json and ${EDITOR_DIR}/ (git-ignored) let an editor type-check tasks.config.ts against runts' types`
      : `tsconfig.json exists: for an editor to find runts' types (in ${EDITOR_DIR}/, git-ignored), add to its compilerOptions:\n${editorSettings()}`,
    "next: copy .env.example to .env and fill in the tokens; 'run install' installs the project with its dev extras; 'run' lists the tasks",
  ]
  return session.print(`${wrote}${lines.join('\n')}\n`)
}

/** The compilerOptions of the editor's tsconfig that find runts' types, for a tsconfig.json that is not ours. */
function editorSettings(): string {
  const { compilerOptions } = JSON.parse(EDITOR_TSCONFIG) as { compilerOptions: Record<string, unknown> }
  return ['paths', 'typeRoots'].map((key) => `  "${key}": ${JSON.stringify(compilerOptions[key])},`).join('\n')
}

async function from(source: string, session: Session): Promise<number> {
  const file = path.resolve(session.io.cwd, source)
  const dir = path.dirname(file)
  refuseExisting(dir, 'to convert another file')
  const text = readSource(file)
  const { convertTasksFile, visible } = await import('../init/from/index.js')
  const conversion = await convertTasksFile(file, text, { envNames: envNames(dir) })
  const written = path.join(dir, 'tasks.config.ts')
  writeFileSync(written, conversion.source)
  const added = ignoreAll(dir, ['.env', '.env.local', 'node_modules/'])
  const { c } = session
  const count = conversion.tasks.length
  const folder = path.relative(session.io.cwd, dir)
  const where = folder ? `in ${folder}, ` : ''
  const lines = [
    `wrote ${path.relative(session.io.cwd, written) || 'tasks.config.ts'}: ${count} ${count === 1 ? 'task' : 'tasks'}: ${visible(conversion.tasks.join(', '))}`,
    ...(added.length > 0 ? [`added ${added.join(', ')} to ${path.relative(session.io.cwd, path.join(dir, '.gitignore'))}`] : []),
    // Text of the file converted: a control character in it must not move the cursor or end a line on the terminal.
    ...conversion.dropped.map((d) => `${c.dim('dropped')} ${visible(`${d.what}: ${d.why}`)}`),
    ...conversion.notes.map((note) => `${c.yellow('note')} ${visible(note)}`),
    `next: ${where}'npx runts' lists the tasks; 'npx runts TASK' runs one as ${path.basename(file)} did`,
  ]
  session.io.stderr.write(session.masker.mask(`${lines.join('\n')}\n`))
  return ExitCode.ok
}

/** Larger than any run.sh, Makefile or package.json people write: a file handed to us is read within a bound. */
const MAX_SOURCE_BYTES = 4 * 1024 * 1024

/** The text of a regular file of at most MAX_SOURCE_BYTES (a FIFO or /dev/zero would never end). */
function readSource(file: string): string {
  const refuse = (why: string) =>
    new RuntsError('usage', `cannot read ${file}: ${why}`, { hint: 'give --from the path of a run.sh, a Makefile or a package.json' })
  let fd: number
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw refuse(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message)
  }
  try {
    const stat = fstatSync(fd)
    if (stat.isDirectory()) throw refuse('it is a folder')
    if (!stat.isFile()) throw refuse('it is not a regular file')
    if (stat.size > MAX_SOURCE_BYTES)
      throw refuse(`it is ${(stat.size / 1024 / 1024).toFixed(1)} MiB, more than a task file runts converts (4 MiB)`)
    return readFileSync(fd, 'utf8')
  } finally {
    closeSync(fd)
  }
}

/** The names (never the values) that the project's .env files give: what a task may read from `.env`. */
function envNames(dir: string): Set<string> {
  const names = new Set<string>()
  for (const file of ['.env', '.env.local', '.env.example']) {
    let text: string
    try {
      text = readSource(path.join(dir, file))
    } catch {
      continue
    }
    for (const name of Object.keys(parse(text))) names.add(name)
  }
  return names
}

/** The entries of `entries` that .gitignore lacked and now has. */
function ignoreAll(dir: string, entries: string[]): string[] {
  const gitignore = path.join(dir, '.gitignore')
  const before = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : ''
  if (!ignore(dir, entries)) return []
  const lines = new Set(readFileSync(gitignore, 'utf8').slice(before.length).split('\n'))
  return entries.filter((entry) => lines.has(entry))
}
