import { describe, expect, it } from 'vitest'
import { task } from '../../../src/api/task.js'
import { checkWorkflow } from '../../../src/ci/check.js'
import { generateWorkflow } from '../../../src/ci/workflow.js'
import { buildGraph } from '../../../src/plan/graph.js'

const facts = { node: { version: '20' }, lockFile: 'package-lock.json' }
const generate = (exports: Record<string, unknown>) => generateWorkflow(buildGraph(exports), facts)

describe('run --ci github --check', () => {
  it('passes when the file on disk is what would be written, \\r\\n line endings included', async () => {
    const text = await generate({ check: task({ ci: ['push'], run: () => {} }) })
    expect(await checkWorkflow(text, text)).toEqual({ upToDate: true, message: '.github/workflows/runts.yml is up to date', diff: '' })
    expect((await checkWorkflow(text.replace(/\n/g, '\r\n'), text)).upToDate).toBe(true)
  })

  it('shows a stale file as a unified diff from the file on disk to what would be written', async () => {
    const before = await generate({ check: task({ ci: ['push'], run: () => {} }) })
    const after = await generate({ check: task({ ci: ['push'], env: ['PYPI_TOKEN'], run: () => {} }) })
    const result = await checkWorkflow(before, after)
    expect(result.upToDate).toBe(false)
    expect(result.message).toMatch(/^\.github\/workflows\/runts\.yml is stale: .*run `npx run --ci github` and commit the result$/)
    const lines = result.diff.split('\n')
    expect(lines.slice(0, 2)).toEqual(['--- a/.github/workflows/runts.yml', '+++ b/.github/workflows/runts.yml'])
    expect(lines).toContain('+        env:')
    expect(lines).toContain(`+          PYPI_TOKEN: \${{ secrets.PYPI_TOKEN }}`)
    expect(lines.filter((l) => /^[-+](?![-+])/.test(l))).toHaveLength(3)
    expect(lines.some((l) => l.startsWith('@@ '))).toBe(true)
  })

  it('says how to write a missing file, with the whole file as the diff', async () => {
    const text = await generate({ check: task({ ci: ['push'], run: () => {} }) })
    const result = await checkWorkflow(undefined, text, 'ci/runts.yml')
    expect(result.upToDate).toBe(false)
    expect(result.message).toBe('ci/runts.yml does not exist; run `npx run --ci github` to write it, and commit it')
    expect(result.diff.startsWith('--- /dev/null\n+++ b/ci/runts.yml\n@@ -0,0 +1,')).toBe(true)
  })

  it('names the command a project from PyPI has: run, not npx run', async () => {
    const text = await generate({ check: task({ ci: ['push'], run: () => {} }) })
    const result = await checkWorkflow('stale\n', text, undefined, 'run')
    expect(result.message).toContain('run `run --ci github` and commit the result')
    expect(result.message).not.toContain('npx')
  })
})
