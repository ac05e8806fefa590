/** What `--report` and the step summary say of a run stopped before anything ran. */
import { describe, expect, it } from 'vitest'
import { notStarted, stoppedMarkdown, stoppedReport } from '../../src/report/stopped.js'

const stop = {
  kind: 'preflight',
  message: 'a check failed before anything ran',
  hint: 'fix what they say, then run again; nothing was run',
  exitCode: 2,
  checks: [
    { task: 'publish:prod', check: 'the git working tree is clean' },
    { task: 'publish:prod', check: 'testedAndNotOnPyPI', failure: 'pkg 1.0 is not on the test index:\nrun release:prod | or *skip*' },
  ],
}

describe('a run stopped before anything ran', () => {
  it('reports every task of the plan as skipped, the error, and each check with its result', () => {
    const report = JSON.parse(stoppedReport(notStarted(['build', 'publish:prod']), stop))
    expect(report).toEqual({
      tasks: [
        { name: 'build', status: 'skipped', start: null, duration: 0, exitCode: null },
        { name: 'publish:prod', status: 'skipped', start: null, duration: 0, exitCode: null },
      ],
      stopped: { kind: 'preflight', message: stop.message, hint: stop.hint, exitCode: 2 },
      checks: [
        { task: 'publish:prod', check: 'the git working tree is clean', passed: true, message: null },
        { task: 'publish:prod', check: 'testedAndNotOnPyPI', passed: false, message: stop.checks[1]!.failure },
      ],
    })
  })

  it('says in Markdown which checks failed, one line each, their text shown as written', () => {
    expect(stoppedMarkdown(stop)).toBe(
      '**Stopped before anything ran** (exit code 2):\n\n' +
        '- **publish:prod** (testedAndNotOnPyPI): pkg 1.0 is not on the test index: run release:prod \\| or \\*skip\\*\n\n' +
        'fix what they say, then run again; nothing was run\n',
    )
    expect(
      stoppedMarkdown({ ...stop, kind: 'confirm', message: "'publish:prod' asks for confirmation", hint: undefined, checks: [] }),
    ).toBe("**Stopped before anything ran** (exit code 2):\n\n- 'publish:prod' asks for confirmation\n")
  })
})
