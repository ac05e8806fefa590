/**
 * `run --init --from FILE`: a run.sh, a Makefile or a package.json turned
 * into a tasks.config.ts. The kind is told by the file's name (or a bash
 * shebang); each reader is loaded only for its kind.
 */
import path from 'node:path'
import { nameProblem } from '../../api/task.js'
import { RuntsError } from '../../errors.js'
import { emit } from './emit.js'
import { visible } from './literals.js'
import type { Conversion, ConvertOptions, FileModel } from './model.js'

export { visible } from './literals.js'
export type { Conversion, ConvertOptions, Dropped } from './model.js'

export type SourceKind = 'shell' | 'makefile' | 'package-json'

/** The kind of task file this is, from its name or its first line; undefined when it is none runts reads. */
export function sourceKind(file: string, text: string): SourceKind | undefined {
  const base = path.basename(file)
  if (base === 'package.json') return 'package-json'
  if (base === 'Makefile' || base === 'GNUmakefile' || base === 'makefile' || base.endsWith('.mk')) return 'makefile'
  if (base.endsWith('.sh') || base.endsWith('.bash') || /^#!.*\b(bash|sh)\b/.test(text.split('\n')[0] ?? '')) return 'shell'
  return undefined
}

/** Converts a task file's text (`file` names it in messages and comments) into a tasks.config.ts. */
export async function convertTasksFile(file: string, text: string, options: ConvertOptions = {}): Promise<Conversion> {
  const kind = sourceKind(file, text)
  const name = path.basename(file)
  if (kind === undefined) {
    throw new RuntsError('convert', `runts cannot convert ${file}: it reads bash task files, Makefiles and package.json`, {
      hint: 'name a run.sh (or a file starting with #!/bin/bash), a Makefile (or *.mk) or a package.json',
    })
  }
  let model: FileModel
  try {
    if (kind === 'shell') model = await (await import('./shell.js')).convertShell(name, text, options)
    else if (kind === 'makefile') model = await (await import('./makefile.js')).convertMakefile(name, text, options)
    else model = await (await import('./package-json.js')).convertPackageJson(name, text)
  } catch (error) {
    // Code nested thousands deep (`$($($(…)))`, a chain of functions each calling the next) is read recursively.
    if (!(error instanceof RangeError)) throw error
    throw new RuntsError('convert', `${file} nests too deeply for runts to read it (${error.message})`, {
      hint: 'nothing real nests that deep: check that the file is the one you meant',
    })
  }
  for (const t of model.tasks) {
    const problem = nameProblem(t.name)
    if (problem) {
      throw new RuntsError('convert', `${file}: '${visible(t.name)}' cannot be a task: ${problem}`, {
        hint: `rename it in ${name} (and where it is called), then convert again`,
      })
    }
  }
  const tasks = model.tasks.filter((t) => !t.private).map((t) => t.name)
  if (tasks.length === 0) {
    throw new RuntsError('convert', `${file} has no tasks to convert`, {
      hint: kind === 'package-json' ? 'its "scripts" is empty' : 'it defines no function or target a user can run',
    })
  }
  return { source: emit(model), tasks, dropped: model.dropped, notes: model.notes ?? [] }
}
