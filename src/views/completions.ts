/**
 * `run --completions bash|zsh|fish` and the hidden call its scripts make on each Tab:
 * `run --complete -- WORDS…` (the words after `run`, the last one the word being completed).
 * The scripts stay thin (see completion-scripts.ts): this file decides what a word can be, the same
 * way `run` reads its command line: flags before the task name, the task's arguments after it.
 * It prints one line `words` or `files`, then one candidate per line, `value<TAB>description`.
 */
export { completionScript, SHELLS, type Shell } from './completion-scripts.js'

/** A flag as `FLAGS` in cli/args.ts declares it: `-f, --file <file>`. */
export interface CompletionFlag {
  raw: string
  description: string
  /** Takes a value (`--jobs 4`). */
  value?: boolean
}

export interface TaskInfo {
  name: string
  description?: string
}

/** What the word under the cursor is, and the tasks file a `-f` before it names (the tasks to offer). */
export interface CompletionRequest {
  kind: 'task' | 'flag' | 'value' | 'files' | 'none'
  /** For a value: the flag (long form) it belongs to. */
  flag?: string
  tasksFile?: string
}

export interface Completion {
  files: boolean
  candidates: Array<{ value: string; description?: string }>
}

/** The values a flag takes, where there is a fixed list; a `<file>` placeholder means file names. */
export const VALUE_CHOICES: Readonly<Record<string, readonly string[]>> = {
  '--output': ['auto', 'prefixed', 'grouped'],
  '--template': ['python', 'npm'],
  '--format': ['dot', 'mermaid'],
  '--completions': ['bash', 'zsh', 'fish'],
}

const names = (flag: CompletionFlag) => flag.raw.split(/[ ,]+/).filter((p) => p.startsWith('-'))
const long = (flag: CompletionFlag) => names(flag).find((n) => n.startsWith('--')) ?? names(flag)[0]!

/** Reads the words before the cursor as `run` reads its command line; cheap: no tasks file needed. */
export function completionRequest(words: readonly string[], flags: readonly CompletionFlag[]): CompletionRequest {
  const known = new Map(flags.flatMap((flag) => names(flag).map((n) => [n, flag] as const)))
  let tasksFile: string | undefined
  let pending: CompletionFlag | undefined
  const current = words.at(-1) ?? ''
  const before = words.slice(0, -1)
  for (const [i, word] of before.entries()) {
    if (pending) {
      if (long(pending) === '--file') tasksFile = word
      pending = undefined
      continue
    }
    // The task name ends runts' flags: what follows is the task's, file names most likely.
    if (word === '--') return { kind: i === before.length - 1 ? 'task' : 'files', tasksFile }
    if (!word.startsWith('-') || word === '-') return { kind: 'files', tasksFile }
    const eq = word.indexOf('=')
    if (eq > 0) {
      if (long(known.get(word.slice(0, eq)) ?? { raw: '', description: '' }) === '--file') tasksFile = word.slice(eq + 1)
      continue
    }
    // -xf FILE: the last letter of a cluster may take the next word; -j2 carries its value.
    const flag = known.get(word) ?? (/^-[^-]/.test(word) ? known.get(`-${word.at(-1)}`) : undefined)
    const attached = /^-[^-]/.test(word) && word.length > 2 && known.get(word.slice(0, 2))?.value
    if (flag?.value && !attached) pending = flag
  }
  if (pending) return valueRequest(long(pending), tasksFile)
  const eq = current.indexOf('=')
  if (current.startsWith('--') && eq > 0) {
    const flag = known.get(current.slice(0, eq))
    return flag?.value ? valueRequest(long(flag), tasksFile) : { kind: 'none', tasksFile }
  }
  if (current.startsWith('-')) return { kind: 'flag', tasksFile }
  return { kind: 'task', tasksFile }
}

function valueRequest(flag: string, tasksFile: string | undefined): CompletionRequest {
  if (VALUE_CHOICES[flag]) return { kind: 'value', flag, tasksFile }
  return { kind: /file|report/.test(flag) ? 'files' : 'none', flag, tasksFile }
}

/** The candidates for the last word. `tasks` matter only when the request's kind is `task`. */
export function completeWords(words: readonly string[], tasks: readonly TaskInfo[], flags: readonly CompletionFlag[]): Completion {
  const request = completionRequest(words, flags)
  const current = words.at(-1) ?? ''
  const oneLine = (text?: string) => text?.replace(/\s+/g, ' ').trim() || undefined
  const starting = (values: Array<{ value: string; description?: string }>) => ({
    files: false,
    candidates: values.filter((c) => c.value.startsWith(current)),
  })
  switch (request.kind) {
    case 'files':
      return { files: true, candidates: [] }
    case 'none':
      return { files: false, candidates: [] }
    case 'task':
      return starting(tasks.map((t) => ({ value: t.name, description: oneLine(t.description) })))
    case 'flag':
      return starting(flags.flatMap((flag) => names(flag).map((value) => ({ value, description: oneLine(flag.description) }))))
    case 'value': {
      // `--output=gr` completes to `--output=grouped`; `--output gr` to `grouped`.
      const prefix = current.startsWith('--') && current.includes('=') ? current.slice(0, current.indexOf('=') + 1) : ''
      return starting((VALUE_CHOICES[request.flag!] ?? []).map((v) => ({ value: prefix + v })))
    }
  }
}

/** The text `run --complete` prints: `words` or `files`, then `value<TAB>description` lines. */
export function completionOutput(completion: Completion): string {
  const lines = completion.candidates.map((c) => (c.description ? `${c.value}\t${c.description}` : c.value))
  return `${[completion.files ? 'files' : 'words', ...lines].join('\n')}\n`
}
