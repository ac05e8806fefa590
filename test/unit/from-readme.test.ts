/**
 * README's "Coming from run.sh, make or npm scripts" shows a run.sh, the tasks.config.ts it becomes and
 * what `run --init --from` prints: all three must be what the converter makes of that run.sh today.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { convertTasksFile } from '../../src/init/from/index.js'
import { repo } from '../helpers/project.js'

const readme = readFileSync(path.join(repo, 'README.md'), 'utf8')
const section = readme.slice(readme.indexOf('## Coming from run.sh, make or npm scripts'))
const block = (lang: string) => new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\`\\n`).exec(section)?.[1]

describe("README's before and after", () => {
  it('is what the converter writes for its run.sh, and what it says it dropped', async () => {
    const before = block('bash')
    const after = block('ts')
    const printed = block('text')
    expect(before).toBeDefined()
    // Beside a .env that sets the two tokens, as the README says.
    const conversion = await convertTasksFile('run.sh', before!, { envNames: new Set(['TEST_PYPI_TOKEN', 'PYPI_TOKEN']) })
    expect(after).toBe(conversion.source)
    expect(printed).toContain(`: ${conversion.tasks.length} tasks: ${conversion.tasks.join(', ')}\n`)
    const dropped = printed!.split('\n').filter((line) => line.startsWith('dropped '))
    expect(dropped).toEqual(conversion.dropped.map((d) => `dropped ${d.what}: ${d.why}`))
    const notes = printed!.split('\n').filter((line) => line.startsWith('note '))
    expect(notes).toEqual(conversion.notes.map((note) => `note ${note}`))
    expect(notes).toHaveLength(2)
  })
})
