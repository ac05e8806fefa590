/**
 * package.json `scripts` -> tasks. npm runs `preX`, X, then `postX`, each with
 * `sh -c` (no `set -e`), and appends `npm run X -- ARGS` to X's command line;
 * the tasks do the same: pre as a dependency, post as X's last command.
 */
import { RuntsError } from '../../errors.js'
import { commandArgs, commandName, kids, type Node, parseBash } from './bash-parser.js'
import { indentLines, visible } from './literals.js'
import { ARGS, type Command, type FileModel, type TaskModel } from './model.js'
import { isPlain } from './shell-forms.js'
import { exposedSecrets, exposureNote } from './shell-variables.js'

const NO_FUNCTIONS = new Set<string>()

/** The scripts, each one's statements as bash reads them, and the tasks made of them so far. */
interface Scripts {
  text: Record<string, string>
  parsed: Map<string, Node[]>
  /** Each script's task, made once: a chain of scripts that end by running the next is read in linear time. */
  tasks: Map<string, TaskModel>
  /** The scripts whose tasks are being made, the one that ran the next first: a loop of them ends here. */
  making: Set<string>
}

/** How many scripts deep a task takes in the commands of the script it ends by running. */
const MAX_CALLS = 64

/** Converts package.json's scripts. */
export async function convertPackageJson(file: string, text: string): Promise<FileModel> {
  const scripts: Scripts = { text: readScripts(file, text), parsed: new Map(), tasks: new Map(), making: new Set() }
  const names = Object.keys(scripts.text)
  const hookOf = (name: string) => (['pre', 'post'] as const).find((p) => name.startsWith(p) && name.slice(p.length) in scripts.text)
  for (const name of names) {
    const fragment = {
      ...scriptLine(text, name, scripts.text[name]!),
      what: `script "${visible(name)}"`,
      hint: `npm runs it with sh, which fails on it too: npm run ${visible(name)}`,
    }
    scripts.parsed.set(name, kids(await parseBash(scripts.text[name]!, file, fragment)))
  }
  const tasks: TaskModel[] = []
  const model: FileModel = { from: file, constants: [], tasks, dropped: [], notes: [] }
  for (const name of names) {
    if (hookOf(name)) continue
    const pre = `pre${name}`
    if (pre in scripts.text) {
      const hook = convertScript(pre, scripts, false)
      tasks.push({ ...hook, private: true, comments: [`Runs before ${name}, as npm runs ${pre} before it.`] })
    }
    tasks.push(scriptTask(name, scripts))
  }
  for (const task of tasks) {
    for (const exposure of exposedSecrets(scripts.parsed.get(task.name) ?? [], new Map())) {
      task.comments.push(exposureNote(exposure))
      model.notes!.push(`${task.name}: ${exposureNote(exposure)}`)
    }
  }
  if (tasks.some((t) => t.shell === 'sh' && t.commands.length > 0)) {
    model.helper = { prelude: '', comments: ['npm runs each script with `sh -c`, without `set -e`: a failing command does not stop it.'] }
  }
  return model
}

/** The task of script `name` as `npm run name ARGS` runs it: `prename` first (a dep), then the script with ARGS, then `postname`. */
function scriptTask(name: string, scripts: Scripts): TaskModel {
  const made = scripts.tasks.get(name)
  if (made) return made
  scripts.making.add(name)
  const task = convertScript(name, scripts, true)
  scripts.making.delete(name)
  const pre = `pre${name}`
  if (pre in scripts.text) task.deps.unshift(pre)
  const post = `post${name}`
  if (post in scripts.text) {
    const hook = convertScript(post, scripts, false)
    task.comments.push(`Its last command is ${post}, which npm runs after it.`)
    task.commands.push(...hook.commands)
    task.deps.push(...hook.deps.filter((d) => !task.deps.includes(d)))
    if (hook.shell === 'sh') task.shell = 'sh'
  }
  scripts.tasks.set(name, task)
  return task
}

/** The line of package.json that names script `name`, or line 0 and the script (a file on one line, a name written with escapes). */
function scriptLine(text: string, name: string, script: string): { line: number; lineText: string } {
  const lines = text.split(/\r?\n/)
  const key = JSON.stringify(name)
  const at = lines.length > 1 ? lines.findIndex((l) => l.trimStart().startsWith(`${key}:`)) : -1
  return at === -1 ? { line: 0, lineText: script } : { line: at + 1, lineText: lines[at]! }
}

function readScripts(file: string, text: string): Record<string, string> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new RuntsError('convert', `${file} is not valid JSON: ${(error as Error).message}`)
  }
  const scripts = (json as { scripts?: unknown } | null)?.scripts ?? {}
  if (typeof scripts !== 'object' || scripts === null || Array.isArray(scripts)) {
    throw new RuntsError('convert', `${file}: "scripts" is not an object`)
  }
  // No prototype: `name in scripts` is true only for a script (`preconstructor` is no hook of `constructor`).
  const own: Record<string, string> = Object.create(null)
  for (const [name, script] of Object.entries(scripts)) if (typeof script === 'string') own[name] = script
  return own
}

/** The scripts whose commands a task took in, in the order npm ran them (`wrap` -> [greet]). */
const calls = new WeakMap<TaskModel, string[]>()

/** Said above a task that took in the commands of the script it ended by running. */
const INLINED_NOTE = [
  (runs: string, final: string) =>
    `npm ran ${runs} here with this script's arguments, so ${final}'s commands are this task's own (a dep takes no arguments).`,
  () => 'npm took an argument that starts with - for an option of its own (and warned); runts passes every argument on.',
]

/**
 * One script: leading `npm run x &&` calls become deps, the rest a command with the task's arguments
 * appended, as npm appends them. npm appends them to the last call too (`"wrap": "npm run greet"`:
 * `npm run wrap -- x` runs greet with x), and a dep takes no arguments: there that script's task is
 * taken in (its deps, its commands), unless it is one of the scripts that led here (a loop).
 */
function convertScript(name: string, scripts: Scripts, takesArgs: boolean): TaskModel {
  const script = scripts.text[name]!
  const statements = scripts.parsed.get(name)!
  const task: TaskModel = { name, description: oneLine(script), deps: [], commands: [], shell: '$', comments: [] }
  let rest = statements
  if (statements.length === 1) {
    const chain = andChain(statements[0]!)
    let i = 0
    while (i < chain.length && npmRun(chain[i]!, scripts.text)) task.deps.push(npmRun(chain[i++]!, scripts.text)!)
    rest = i === 0 ? statements : chain.slice(i)
  }
  const last = task.deps.at(-1)
  if (rest.length === 0 && takesArgs && last !== undefined && !scripts.making.has(last) && scripts.making.size < MAX_CALLS) {
    task.deps.pop()
    const callee = scriptTask(last, scripts)
    task.deps.push(...callee.deps.filter((d) => !task.deps.includes(d)))
    task.commands.push(...callee.commands)
    task.shell = callee.shell
    // `wrap:again` -> wrap -> greet: one note for the whole way down.
    const through = [last, ...(calls.get(callee) ?? [])]
    calls.set(task, through)
    const own = calls.has(callee) ? callee.comments.slice(INLINED_NOTE.length) : callee.comments
    const runs = through.map((n, i) => (i === 0 ? n : `(which ran ${n})`)).join(' ')
    const final = through.at(-1)!
    task.comments.push(...INLINED_NOTE.map((line) => line(runs, final)), ...own.map((c) => `${final}: ${c}`))
    return task
  }
  if (rest.length === 0) return task
  const text = script.slice(rest[0]!.startIndex, rest.at(-1)!.endIndex)
  const given = npmVariables(name, text)
  // With those lines first, the script is several lines: each at the task's indentation. The script's own
  // lines stay as they are: a line break of it may be inside a quoted string, which indenting would change.
  const body = given === '' ? text : `${indentLines(given, '    ')}${text}`
  const command: Command = { parts: takesArgs ? [`${body} `, ARGS] : [body] }
  task.shell = given === '' && rest.length === 1 && rest.every((n) => isPlain(n, NO_FUNCTIONS, false)) ? '$' : 'sh'
  if (given !== '') task.comments.push('npm gives its scripts these npm_* variables; they are set here as npm set them.')
  task.commands.push(command)
  return task
}

/** What npm tells a script about itself, as the `export` lines of the variables this script reads. */
const NPM_VARIABLES: Record<string, (name: string) => string> = {
  npm_lifecycle_event: (name) => `'${name.replace(/'/g, "'\\''")}'`,
  npm_package_name: () => `"$(node -p "require('./package.json').name")"`,
  npm_package_version: () => `"$(node -p "require('./package.json').version")"`,
  npm_package_json: () => '"$PWD/package.json"',
}

function npmVariables(name: string, text: string): string {
  return Object.entries(NPM_VARIABLES)
    .filter(([variable]) => new RegExp(`\\$\\{?${variable}\\b`).test(text))
    .map(([variable, value]) => `export ${variable}=${value(name)}\n`)
    .join('')
}

/** `a && b && c` as [a, b, c]; anything else as itself. */
function andChain(node: Node): Node[] {
  if (node.type !== 'list') return [node]
  const operators = node.children.filter((c) => c !== null && !c.isNamed).map((c) => c!.type)
  if (!operators.every((op) => op === '&&')) return [node]
  return kids(node).flatMap(andChain)
}

/** `npm run build`, `npm run -s build`, `npm test`, `yarn build`, `pnpm run build`: the script it runs. */
function npmRun(node: Node, scripts: Record<string, string>): string | undefined {
  const tool = commandName(node)
  if (tool !== 'npm' && tool !== 'yarn' && tool !== 'pnpm') return undefined
  const words = commandArgs(node)
    .map((a) => a.text)
    .filter((w) => !/^(-s|--silent|--if-present)$/.test(w))
  const [first, second, ...more] = words
  if (more.length > 0 || first === undefined) return undefined
  const target = first === 'run' || first === 'run-script' ? second : second === undefined ? first : undefined
  if (target === undefined || !(target in scripts)) return undefined
  if (tool === 'npm' && first !== 'run' && first !== 'run-script' && !['test', 'start', 'stop', 'restart'].includes(first)) return undefined
  return target
}

function oneLine(script: string): string {
  const line = script.replace(/\s+/g, ' ').trim()
  return line.length > 100 ? `${line.slice(0, 99)}…` : line
}
