import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { appendStepSummary, stepSummary } from '../../../src/ci/summary.js'
import { folder, removeFolders } from './fixtures.js'

afterAll(removeFolders)

const records = [
  { name: 'lint', status: 'ok', startedAt: 1, duration: 1234 },
  { name: 'build', status: 'up-to-date', startedAt: 2, duration: 3 },
  { name: 'publish:test', status: 'failed', startedAt: 3, duration: 61_000, exitCode: 2 },
  { name: 'release|prod', status: 'skipped', duration: 0 },
  { name: 'odd', status: 'weird-new-status', startedAt: 4, duration: 10 },
]

describe('the step summary', () => {
  it('is a Markdown table, one row per task, with counts per status in the heading', () => {
    expect(stepSummary(records, 65_000)).toBe(
      [
        '### runts: 5 tasks (1 ok, 1 up-to-date, 1 failed, 1 skipped, 1 weird-new-status) in 1m5s',
        '',
        '| task | status | time | exit code |',
        '| :--- | :--- | ---: | ---: |',
        '| lint | ✅ ok | 1.23s |  |',
        '| build | ✅ up-to-date | 3ms |  |',
        '| publish:test | ❌ failed | 1m1s | 2 |',
        '| release\\|prod | ⏭️ skipped | – |  |',
        '| odd | weird-new-status | 10ms |  |',
        '',
      ].join('\n'),
    )
  })

  it('shows Markdown in a task name as written', () => {
    expect(stepSummary([{ name: 'a_*b*_`c`\n<d>', status: 'ok', startedAt: 0, duration: 0 }])).toContain(
      '| a\\_\\*b\\*\\_\\`c\\` \\<d\\> |',
    )
    expect(stepSummary([])).toMatch(/^### runts: 0 tasks\n/)
  })

  it('is appended to $GITHUB_STEP_SUMMARY under GitHub Actions only', () => {
    const file = path.join(folder({ 'summary.md': '# earlier step\n' }), 'summary.md')
    expect(appendStepSummary({ GITHUB_STEP_SUMMARY: file }, records)).toBe(false)
    expect(appendStepSummary({ GITHUB_ACTIONS: 'true' }, records)).toBe(false)
    expect(appendStepSummary({ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: file }, records)).toBe(true)
    expect(readFileSync(file, 'utf8')).toBe(`# earlier step\n${stepSummary(records)}\n`)
  })
})
