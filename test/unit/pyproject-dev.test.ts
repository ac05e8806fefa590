/** `run --init` adds runts to a Python project's dev dependencies by editing pyproject.toml as text, and checks the edit by parsing it. */
import { describe, expect, it } from 'vitest'
import { addDevRequirement } from '../../src/init/pyproject-dev.js'

const added = (text: string) => {
  const edit = addDevRequirement(text, 'runts>=1.2.0')
  if (edit.result !== 'added') throw new Error(`not added: ${JSON.stringify(edit)}`)
  return edit
}

describe('runts in pyproject.toml', () => {
  it('goes into an existing dev extra, first in a one-line list and on a line of its own in a long one; comments stay', () => {
    const oneLine = '[project]\nname = "p"\n\n[project.optional-dependencies]\n# tools\ndev = ["pytest>=8"]  # keep\ndocs = ["mkdocs"]\n'
    expect(added(oneLine).text).toBe(oneLine.replace('dev = ["pytest>=8"]', 'dev = ["runts>=1.2.0", "pytest>=8"]'))
    const long = '[project]\nname = "p"\n\n[project.optional-dependencies]\ndev = [\n    "pytest>=8",\n    "ruff",\n]\n'
    expect(added(long).text).toBe(long.replace('dev = [\n', 'dev = [\n    "runts>=1.2.0",\n'))
    const empty = '[project]\nname = "p"\n[project.optional-dependencies]\ndev = []\n'
    expect(added(empty).text).toBe(empty.replace('dev = []', 'dev = ["runts>=1.2.0"]'))
  })

  it('makes the dev extra where the project has none, or the table', () => {
    const noDev = '[project]\nname = "p"\n[project.optional-dependencies]\ndocs = ["mkdocs"]\n[tool.x]\ny = 1\n'
    expect(added(noDev).text).toBe(
      noDev.replace('[project.optional-dependencies]\n', '[project.optional-dependencies]\ndev = ["runts>=1.2.0"]\n'),
    )
    const noTable = '[project]\nname = "p"\n\n[tool.hatch.build]\nonly-packages = true'
    expect(added(noTable)).toMatchObject({
      text: `${noTable}\n\n[project.optional-dependencies]\ndev = ["runts>=1.2.0"]\n`,
      place: { kind: 'extra', name: 'dev', table: '[project.optional-dependencies] dev' },
    })
  })

  it('goes into [dependency-groups] where the project keeps its tools there (uv), or has no [project]', () => {
    const uv = '[project]\nname = "p"\n\n[dependency-groups]\ndev = ["pytest>=8"]\n'
    expect(added(uv)).toMatchObject({ text: uv.replace('["pytest>=8"]', '["runts>=1.2.0", "pytest>=8"]'), place: { kind: 'group' } })
    expect(added('[tool.poetry]\nname = "p"\n')).toMatchObject({
      text: '[tool.poetry]\nname = "p"\n\n[dependency-groups]\ndev = ["runts>=1.2.0"]\n',
      place: { kind: 'group', name: 'dev' },
    })
  })

  it('leaves a file that already lists runts, under any extra or group, as it is', () => {
    expect(addDevRequirement('[project]\nname = "p"\n[project.optional-dependencies]\ntools = ["Runts==0.1"]\n', 'runts>=1.2.0')).toEqual({
      result: 'already',
      place: { kind: 'extra', name: 'tools', table: '[project.optional-dependencies] tools' },
    })
    expect(addDevRequirement('[dependency-groups]\nlint = ["runts"]\n', 'runts>=1.2.0')).toMatchObject({
      result: 'already',
      place: { kind: 'group', name: 'lint' },
    })
    // A name that only starts the same is another package.
    expect(added('[dependency-groups]\ndev = ["runts-extra"]\n').text).toContain('"runts>=1.2.0", "runts-extra"')
  })

  it('writes nothing when the edit would not parse as exactly one more entry: an inline table, a broken file', () => {
    const inline = '[project]\nname = "p"\noptional-dependencies = { dev = ["pytest"] }\n'
    expect(addDevRequirement(inline, 'runts>=1.2.0')).toMatchObject({ result: 'cannot', line: 'dev = ["runts>=1.2.0"]' })
    expect(addDevRequirement('[project\nname=', 'runts>=1.2.0')).toMatchObject({
      result: 'cannot',
      why: expect.stringContaining('does not parse'),
    })
  })
})
