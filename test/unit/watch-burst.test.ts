/**
 * How the watcher turns its events into one report per burst: after a quiet time, once, sorted, and
 * without the files that came and went within the burst (a tool's temporary file moved into place).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { debounce } from '../../src/watch/watcher.js'

let onDisk: Set<string>
let reports: string[][]
const burst = () =>
  debounce(
    200,
    (file) => onDisk.has(file),
    (paths) => reports.push(paths),
  )

beforeEach(() => {
  vi.useFakeTimers()
  onDisk = new Set()
  reports = []
})
afterEach(() => vi.useRealTimers())

describe('a burst of changes', () => {
  it('is reported once, sorted, when no change has come for the quiet time', () => {
    const b = burst()
    onDisk.add('src/b.ts').add('src/a.ts')
    b.add('src/b.ts', false)
    vi.advanceTimersByTime(150)
    b.add('src/a.ts', true)
    b.add('src/b.ts', false)
    vi.advanceTimersByTime(199)
    expect(reports).toEqual([])
    vi.advanceTimersByTime(1)
    expect(reports).toEqual([['src/a.ts', 'src/b.ts']])
  })

  it('leaves out a file made within the burst and gone at its end (pytest-cache-files-*/README.md)', () => {
    const b = burst()
    onDisk.add('tests/test_answer.py')
    b.add('pytest-cache-files-x3taufqn/README.md', true)
    b.add('tests/test_answer.py', false)
    vi.advanceTimersByTime(200)
    expect(reports).toEqual([['tests/test_answer.py']])
  })

  it('reports nothing when every file of the burst came and went', () => {
    const b = burst()
    b.add('pytest-cache-files-x3taufqn/README.md', true)
    b.add('pytest-cache-files-x3taufqn/.gitignore', true)
    vi.advanceTimersByTime(1000)
    expect(reports).toEqual([])
  })

  it('reports a file that was there before and is gone now (a deletion), and a new file that stayed', () => {
    const b = burst()
    onDisk.add('src/new.ts')
    b.add('src/old.ts', false) // changed, then deleted: its first event was not its creation
    b.add('src/new.ts', true)
    vi.advanceTimersByTime(200)
    expect(reports).toEqual([['src/new.ts', 'src/old.ts']])
  })

  it('reports nothing after cancel', () => {
    const b = burst()
    onDisk.add('src/a.ts')
    b.add('src/a.ts', true)
    b.cancel()
    vi.advanceTimersByTime(1000)
    expect(reports).toEqual([])
  })
})
