import { describe, expect, it } from 'vitest'
import { completionFlags } from '../../src/cli/args.js'
import { completeWords, completionOutput, completionRequest, completionScript } from '../../src/views/completions.js'

const flags = completionFlags()
const tasks = [
  { name: 'publish:test', description: 'Publish to\nthe test registry' },
  { name: 'publish:prod', description: 'Publish to production' },
  { name: 'build' },
]
const values = (words: string[]) => completeWords(words, tasks, flags).candidates.map((c) => c.value)

describe('completionRequest', () => {
  it('reads flags before the task name as run does, values included', () => {
    expect(completionRequest([''], flags)).toEqual({ kind: 'task' })
    expect(completionRequest(['-x', '--jobs', '2', 'pub'], flags).kind).toBe('task')
    expect(completionRequest(['-f', ''], flags)).toMatchObject({ kind: 'files', flag: '--file' })
    expect(completionRequest(['-xf', ''], flags)).toMatchObject({ kind: 'files', flag: '--file' })
    expect(completionRequest(['--env-file', 'a'], flags).kind).toBe('files')
    expect(completionRequest(['--report=x'], flags).kind).toBe('files')
    expect(completionRequest(['--jobs', ''], flags).kind).toBe('none')
    expect(completionRequest(['--output', ''], flags)).toEqual({ kind: 'value', flag: '--output' })
  })

  it('names the tasks file given with -f, whichever form, so that its tasks are offered', () => {
    expect(completionRequest(['-f', 'other.ts', 'pub'], flags)).toEqual({ kind: 'task', tasksFile: 'other.ts' })
    expect(completionRequest(['--file=b.ts', ''], flags).tasksFile).toBe('b.ts')
    expect(completionRequest(['-j2', '-xf', 'c.ts', ''], flags)).toEqual({ kind: 'task', tasksFile: 'c.ts' })
  })

  it('gives the words after the task name to the task: file names', () => {
    expect(completionRequest(['build', ''], flags).kind).toBe('files')
    expect(completionRequest(['build', '--wat'], flags).kind).toBe('files')
    expect(completionRequest(['--', ''], flags).kind).toBe('task')
    expect(completionRequest(['--', '--list', ''], flags).kind).toBe('files')
  })
})

describe('completeWords', () => {
  it('offers task names, colons included, with one-line descriptions', () => {
    expect(values(['publish:t'])).toEqual(['publish:test'])
    expect(values(['pu'])).toEqual(['publish:test', 'publish:prod'])
    expect(completeWords([''], tasks, flags).candidates[0]).toEqual({ value: 'publish:test', description: 'Publish to the test registry' })
  })

  it('offers flags, short and long, and fixed values in both forms', () => {
    expect(values(['--env'])).toEqual(['--env-file', '--env'])
    expect(values(['-'])).toContain('-f')
    expect(values(['--output', 'gr'])).toEqual(['grouped'])
    expect(values(['--output=p'])).toEqual(['--output=prefixed'])
    expect(values(['--format', ''])).toEqual(['dot', 'mermaid'])
  })

  it('asks for file names after -f, --env-file, --report and after the task name', () => {
    for (const words of [
      ['-f', 'x'],
      ['--env-file', ''],
      ['--report', 'r'],
      ['build', 'src/'],
    ]) {
      expect(completeWords(words, tasks, flags)).toEqual({ files: true, candidates: [] })
    }
  })
})

describe('completionOutput', () => {
  it('prints the directive, then value<TAB>description lines', () => {
    expect(completionOutput(completeWords(['b'], tasks, flags))).toBe('words\nbuild\n')
    expect(completionOutput(completeWords(['publish:p'], tasks, flags))).toBe('words\npublish:prod\tPublish to production\n')
    expect(completionOutput(completeWords(['-f', ''], tasks, flags))).toBe('files\n')
  })
})

describe('completionScript', () => {
  it('registers a completion for run in each shell', () => {
    expect(completionScript('bash')).toMatch(/^complete -F _runts_complete run$/m)
    expect(completionScript('zsh')).toMatch(/^compdef _runts run$/m)
    expect(completionScript('fish')).toMatch(/^complete -c run -f -a '\(__runts_complete\)'$/m)
  })
})
