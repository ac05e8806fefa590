/**
 * Writes a converted task file as TypeScript, formatted as biome formats this
 * project (two spaces, single quotes, no semicolons), so that it reads like a
 * file a person wrote and `biome format` leaves it as it is.
 */
import { commentLines, identifierFor, jsString, templateText } from './literals.js'
import { ARGS, type Command, type FileModel, type Helper, type Part, type TaskModel } from './model.js'

/** The tasks.config.ts text for a converted file. */
export function emit(model: FileModel): string {
  const taken = new Set<string>()
  const constants = new Map(model.constants.map((c) => [c.name, identifierFor(c.name, taken)]))
  const ids = new Map(model.tasks.map((t) => [t.name, identifierFor(t.name, taken)]))
  const usesDollar = model.helper !== undefined || model.tasks.some((t) => t.shell === '$' && t.commands.length > 0)
  let out = header(model)
  out += `import { ${usesDollar ? '$, ' : ''}task } from 'runts'\n`
  if (model.constants.length > 0) out += '\n'
  for (const c of model.constants) {
    const value = typeof c.value === 'string' ? jsString(c.value) : `[${c.value.map(jsString).join(', ')}]`
    out += `const ${constants.get(c.name)} = ${value}\n`
  }
  if (model.helper) out += helper(model.helper)
  const declared = new Set<string>()
  for (const t of model.tasks) {
    out += `\n${taskText(t, ids, declared, constants)}`
    declared.add(t.name)
  }
  return out
}

function header(model: FileModel): string {
  const lines = [`Converted from ${model.from} by \`run --init --from ${model.from}\`.`]
  if (model.dropped.length > 0) {
    lines.push(`Left out of ${model.from}:`)
    for (const d of model.dropped) lines.push(`- ${d.what}: ${d.why}`)
  }
  return commentLines(lines)
}

function helper(h: Helper): string {
  const head = `\n${commentLines(h.comments)}`
  const fn = (prefix: string) =>
    `const sh = (script: TemplateStringsArray, ...values: unknown[]) => $({ prefix: ${prefix} })(script, ...values)\n`
  if (h.prelude === '') return `${head}${fn("''")}`
  return `${head}const prelude = \`${templateText(h.prelude)}\`\n\n/** A script run as the original ran it: after \`prelude\`. */\n${fn('prelude')}`
}

function taskText(t: TaskModel, ids: Map<string, string>, declared: Set<string>, constants: Map<string, string>): string {
  const id = ids.get(t.name)!
  const fields: string[] = []
  if (id !== t.name) fields.push(`name: ${jsString(t.name)}`)
  if (t.description) fields.push(`description: ${jsString(t.description)}`)
  if (t.env) fields.push(`env: [${t.env.map(jsString).join(', ')}]`)
  if (t.deps.length > 0) {
    // A task declared further down cannot be named before its `const` runs: those go by name.
    const deps = t.deps.map((dep) => (declared.has(dep) ? ids.get(dep)! : jsString(dep)))
    fields.push(`deps: [${deps.join(', ')}]`)
  }
  if (t.commands.length > 0) fields.push(`run: ${runText(t, constants)}`)
  const comments = commentLines(t.comments)
  return `${comments}${t.private ? '' : 'export '}const ${id} = task({\n${fields.map((f) => `  ${f},\n`).join('')}})\n`
}

function runText(t: TaskModel, constants: Map<string, string>): string {
  const usesArgs = t.commands.some((c) => c.parts.includes(ARGS))
  const params = usesArgs ? '({ args })' : '()'
  if (t.commands.length === 1) return `${params} => ${commandText(t.shell, t.commands[0]!, constants, '  ')}`
  const body = t.commands.map((c) => `    await ${commandText(t.shell, c, constants, '    ')}\n`).join('')
  return `async ${params} => {\n${body}  }`
}

function commandText(shell: '$' | 'sh', command: Command, constants: Map<string, string>, indent: string): string {
  let text = joined(command.parts)
    .map((part) => partText(part, constants))
    .join('')
  // A script of several lines starts on its own line and closes at the task's indentation.
  if (text.includes('\n')) text = `\n${text.replace(/^\n+|\s+$/g, '')}\n${indent}`
  return `${shell}\`${text}\`${command.nothrow ? '.nothrow()' : ''}`
}

/** Adjacent texts as one, escaped together: a `$` that ends one and a `{` that starts the next must not meet as `${`. */
function joined(parts: Part[]): Part[] {
  const out: Part[] = []
  for (const part of parts) {
    const last = out.at(-1)
    if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part
    else out.push(part)
  }
  return out
}

function partText(part: Part, constants: Map<string, string>): string {
  if (part === ARGS) return `\${args}`
  if (typeof part === 'string') return templateText(part)
  return `\${${constants.get(part.constant) ?? part.constant}}`
}
