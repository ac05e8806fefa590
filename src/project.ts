/**
 * Opening the project: find the tasks file (its folder is the root), load
 * `.env` and friends, learn the secrets, import the tasks file and build its
 * graph. Every command that reads the tasks file starts here.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { currentScope, setFallbackScope } from './api/context.js'
import { envFiles, type LoadedEnv, loadEnv } from './env/load.js'
import { declaredSecrets, findSecrets, type Secrets } from './env/secrets.js'
import { editorTypesStale } from './init/editor-stamp.js'
import { findTasksFile } from './load/find.js'
import { type LoadedFile, loadTasksFile } from './load/load.js'
import { buildGraph, type TaskGraph } from './plan/graph.js'
import { rootInputs } from './plan/rooted.js'
import type { Session } from './session.js'
import { packageRoot } from './util/package-root.js'

/** Where the project is: every command that reads the tasks file takes these. */
export interface ProjectOptions {
  file?: string
  envFile: string[]
}

export interface Project {
  file: string
  /** The tasks file's folder: commands run here, `.env` is read here. */
  root: string
  env: LoadedEnv
  tasks: LoadedFile
  graph: TaskGraph
  /** For a run: `.env` lines dotenv drops or cuts, secrets too short to mask. */
  warnings: string[]
}

export async function openProject(session: Session, options: ProjectOptions, how: { quiet?: boolean } = {}): Promise<Project> {
  const { io, masker } = session
  const file = findTasksFile(io.cwd, options.file)
  const root = path.dirname(file)
  const env = loadEnv(io.env, envFiles(root, io.cwd, options.envFile))
  // The tasks file's own `process.env` is the environment after .env loading.
  io.setEnv(env.values)
  // Every file value too: a secret in .env stays a secret when the shell overrides it (and `cat .env` runs in a task).
  const secrets = findSecrets([...Object.entries(env.values), ...env.fileValues])
  masker.add(secrets.values)
  // What the tasks' own JavaScript prints goes where their commands' output goes. While the tasks
  // file loads, it is held back until the secrets the file declares are known, then shown masked.
  let held: Array<['stdout' | 'stderr', string]> | undefined = []
  io.captureProcessOutput((stream, text) => {
    const task = currentScope().task
    if (task && session.taskOutput) {
      session.taskOutput(task, stream, text)
      return undefined
    }
    if (held) {
      held.push([stream, text])
      return undefined
    }
    return masker.mask(text)
  })
  // `quiet`: what the tasks file prints while it loads is dropped (completion candidates are on stdout).
  const release = () => {
    const lines = held ?? []
    held = undefined
    if (!how.quiet) for (const [stream, text] of lines) io[stream].write(masker.mask(text))
  }
  session.debug('environment loaded')

  io.chdir(root)
  setFallbackScope({ shell: { cwd: root, env: env.values } })
  let tasks: LoadedFile
  let graph: TaskGraph
  let declared: Secrets
  try {
    tasks = await loadTasksFile(file, {
      selfEntry,
      debug: session.debug,
      importModule: io.importModule,
      typescript: io.env.RUNTS_TYPESCRIPT,
    })
    session.debug('tasks file imported')
    graph = buildGraph(tasks.exports, file)
    rootInputs(graph, root)
    session.debug('graph built')
    declared = declaredSecrets(graph.secrets, env.values)
    masker.add(declared.values)
  } finally {
    // Even when loading fails, what it printed is shown, masked with what is known.
    release()
  }
  if (editorTypesStale(root)) await refreshEditorTypes(session, root)
  const tooShort = new Set([...secrets.tooShort, ...declared.tooShort])
  const warnings = [...env.warnings, ...[...tooShort].map((name) => `${name} is shorter than 4 characters, so its value is not masked`)]
  return { file, root, env, tasks, graph, warnings }
}

/** The editor's copy of runts' types (`.runts/`, written by `run --init` in a project without node_modules), at this version. */
async function refreshEditorTypes(session: Session, root: string): Promise<void> {
  try {
    const { writeEditorTypes } = await import('./init/editor-types.js')
    writeEditorTypes(root, packageRoot(fileURLToPath(import.meta.url)))
    session.debug('editor types written to .runts/')
  } catch (error) {
    session.warn(`could not write runts' types for the editor into ${path.join(root, '.runts')}: ${(error as Error).message}`)
  }
}

/** This package's public entry, for a tasks file with no node_modules around it. */
function selfEntry(): string {
  return path.join(packageRoot(fileURLToPath(import.meta.url)), 'dist', 'index.js')
}
