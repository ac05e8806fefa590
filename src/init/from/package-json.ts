/**
 * package.json `scripts` -> tasks. npm runs `preX`, X, then `postX`, each with
 * `sh -c` (no `set -e`), and appends `npm run X -- ARGS` to X's command line;
 * the tasks do the same: pre as a dependency, post as X's last command.
 */
import { RuntsError } from '../../errors.js'
import { commandArgs, commandName, kids, type Node, parseBash } from './bash-parser.js'
import { ARGS, type Command, type FileModel, type TaskModel } from './model.js'
import { isPlain } from './shell-forms.js'

const NO_FUNCTIONS = new Set<string>()

/** Converts package.json's scripts. */
export async function convertPackageJson(file: string, text: string): Promise<FileModel> {
  const scripts = readScripts(file, text)
  const names = Object.keys(scripts)
  const hookOf = (name: string) => (['pre', 'post'] as const).find((p) => name.startsWith(p) && name.slice(p.length) in scripts)
  const parsed = new Map<string, Node[]>()
  for (const name of names) parsed.set(name, kids(await parseBash(scripts[name]!, `${file} (scripts.${name})`)))
  const tasks: TaskModel[] = []
  const model: FileModel = { from: file, constants: [], tasks, dropped: [] }
  for (const name of names) {
    if (hookOf(name)) continue
    const pre = `pre${name}`
    if (pre in scripts) {
      const hook = convertScript(pre, scripts[pre]!, parsed.get(pre)!, scripts, false)
      tasks.push({ ...hook, private: true, comments: [`Runs before ${name}, as npm runs ${pre} before it.`] })
    }
    const task = convertScript(name, scripts[name]!, parsed.get(name)!, scripts, true)
    if (pre in scripts) task.deps.unshift(pre)
    const post = `post${name}`
    if (post in scripts) {
      const hook = convertScript(post, scripts[post]!, parsed.get(post)!, scripts, false)
      task.comments.push(`Its last command is ${post}, which npm runs after it.`)
      task.commands.push(...hook.commands)
      task.deps.push(...hook.deps.filter((d) => !task.deps.includes(d)))
      if (hook.shell === 'sh') task.shell = 'sh'
    }
    tasks.push(task)
  }
  if (tasks.some((t) => t.shell === 'sh' && t.commands.length > 0)) {
    model.helper = { prelude: '', comments: ['npm runs each script with `sh -c`, without `set -e`: a failing command does not stop it.'] }
  }
  return model
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

/** One script: leading `npm run x &&` calls become deps, the rest a command with the task's arguments appended, as npm appends them. */
function convertScript(name: string, script: string, statements: Node[], scripts: Record<string, string>, takesArgs: boolean): TaskModel {
  const task: TaskModel = { name, description: oneLine(script), deps: [], commands: [], shell: '$', comments: [] }
  let rest = statements
  if (statements.length === 1) {
    const chain = andChain(statements[0]!)
    let i = 0
    while (i < chain.length && npmRun(chain[i]!, scripts)) task.deps.push(npmRun(chain[i++]!, scripts)!)
    rest = i === 0 ? statements : chain.slice(i)
  }
  if (rest.length === 0) return task
  const text = script.slice(rest[0]!.startIndex, rest.at(-1)!.endIndex)
  const given = npmVariables(name, text)
  // With those lines first, the script is several lines: each at the task's indentation.
  const body = given === '' ? text : `${given}${text}`.replace(/^/gm, '    ')
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
