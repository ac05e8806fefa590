/**
 * `permissions` on a task: the job of every plan that has the task gets them (and no other job), on top of
 * `contents: read`; the workflow's own stay `contents: read`. What actionlint accepts; what task() refuses.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { task } from '../../../src/api/task.js'
import { detectProject } from '../../../src/ci/project.js'
import { generateWorkflow } from '../../../src/ci/workflow.js'
import { buildGraph } from '../../../src/plan/graph.js'
import { actionlint } from '../../helpers/actionlint.js'
import { folder, pipeline, removeFolders, workflow } from './fixtures.js'

afterAll(removeFolders)

/** The python template's pipeline, with publish:prod publishing through PyPI's trusted publishing (OIDC). */
function trusted() {
  const p = pipeline()
  const publishProd = task({ name: 'publish:prod', permissions: { 'id-token': 'write' }, deps: [p.build], run: () => {} })
  const releaseProd = task({ name: 'release:prod', ci: ['release'], confirm: 'Upload to PyPI?', deps: [p.releaseTest, publishProd] })
  return { ...p, publishProd, releaseProd }
}

describe('permissions', () => {
  it("go to the job whose plan has the task, on top of contents: read, and the job's comment says who asked", async () => {
    const { w, text } = await workflow(trusted())
    expect(w.permissions).toEqual({ contents: 'read' })
    expect((w.jobs['release-prod'] as { permissions?: unknown }).permissions).toEqual({ contents: 'read', 'id-token': 'write' })
    expect((w.jobs.check as { permissions?: unknown }).permissions).toBeUndefined()
    expect(text).toContain('  # Permission id-token: write, asked by publish:prod.\n')
  })

  it('take write over read, and contents: write replaces contents: read', async () => {
    const notes = task({ permissions: { contents: 'read', 'pull-requests': 'read' }, run: () => {} })
    const upload = task({ permissions: { contents: 'write', 'pull-requests': 'write' }, run: () => {} })
    const release = task({ ci: ['tag'], deps: [notes, upload] })
    const { w } = await workflow({ notes, upload, release })
    expect((w.jobs.release as { permissions?: unknown }).permissions).toEqual({ contents: 'write', 'pull-requests': 'write' })
  })

  it('pass actionlint', async () => {
    const text = await generateWorkflow(buildGraph(trusted()), detectProject(folder({ 'package.json': '{}', 'package-lock.json': '{}' })))
    expect(text).toContain('id-token: write')
    expect(await actionlint(text)).toEqual([])
  })

  it('are refused, with what to write, when a scope or an access is not GitHub’s', () => {
    expect(() => task({ permissions: { id_token: 'write' } as never, run: () => {} })).toThrow(
      /task\(\{ permissions \}\) has 'id_token', which is not a scope of GitHub's token \(did you mean 'id-token'\?\)/,
    )
    expect(() => task({ permissions: { contents: 'admin' } as never, run: () => {} })).toThrow(
      /task\(\{ permissions \}\) gives 'contents' "admin": use 'read' or 'write'/,
    )
    expect(() => task({ permissions: ['id-token'] as never, run: () => {} })).toThrow(/like \{ 'id-token': 'write' \}, not an array/)
  })
})
