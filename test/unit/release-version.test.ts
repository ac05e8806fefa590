/**
 * The pure parts of `run version` and `run publish:github`: python-semantic-release's next-version
 * algorithm (with major_on_zero false), Conventional Commits as conventional-commits-parser reads them,
 * the CHANGELOG.md section, version edits that keep a file's layout, GitHub's upload_url template.
 */
import { describe, expect, it } from 'vitest'
import { isReleaseCommit, prependSection, renderSection, sectionOf } from '../../src/release/changelog.js'
import { type Level, parseCommit } from '../../src/release/commits.js'
import { expandUploadUrl } from '../../src/release/github-api.js'
import { increment, releaseBases, type TaggedVersion } from '../../src/release/next-version.js'
import { formatVersion, parseVersion } from '../../src/release/versions.js'
import { editJson, setPyprojectVersion } from '../../src/release/write-version.js'

const tagged = (...names: string[]): TaggedVersion[] => names.map((tag) => ({ tag, version: parseVersion(tag)! }))
const next = (tags: string[], level: Exclude<Level, 'none'>, token?: string, kind: 'npm' | 'python' = 'npm') => {
  const prerelease = token ? { token } : undefined
  return formatVersion(increment(releaseBases(tagged(...tags), prerelease), level, prerelease), kind)
}

describe('the next version', () => {
  it('bumps from the latest full release: feat minor, fix patch, breaking major', () => {
    expect(next(['v1.2.3', 'v1.0.0'], 'patch')).toBe('1.2.4')
    expect(next(['v1.2.3'], 'minor')).toBe('1.3.0')
    expect(next(['v1.2.3'], 'major')).toBe('2.0.0')
  })

  it('counts from 0.0.0 with no tag, and below 1.0.0 a breaking change bumps the minor', () => {
    expect(next([], 'minor')).toBe('0.1.0')
    expect(next([], 'major')).toBe('0.1.0')
    expect(next(['v0.3.1'], 'major')).toBe('0.4.0')
    expect(next(['v0.3.1'], 'patch')).toBe('0.3.2')
  })

  it('counts prereleases of a token up while the level stays within their bump, else starts again', () => {
    expect(next(['v1.2.0'], 'minor', 'rc')).toBe('1.3.0-rc.1')
    expect(next(['v1.2.0', 'v1.3.0-rc.1'], 'patch', 'rc')).toBe('1.3.0-rc.2')
    expect(next(['v1.2.0', 'v1.3.0-rc.2'], 'minor', 'rc')).toBe('1.3.0-rc.3')
    expect(next(['v1.2.0', 'v1.3.0-rc.2'], 'major', 'rc')).toBe('2.0.0-rc.1')
    // Another token starts its own count; a release finalizes the prerelease.
    expect(next(['v1.2.0', 'v1.3.0-rc.2'], 'patch', 'beta')).toBe('1.2.1-beta.1')
    expect(next(['v1.2.0', 'v1.3.0-rc.2'], 'minor')).toBe('1.3.0')
    // A prerelease below the latest release is history.
    expect(next(['v1.3.0', 'v1.3.0-rc.2'], 'patch', 'rc')).toBe('1.3.1-rc.1')
  })

  it('reads and writes PEP 440 for Python', () => {
    expect(next(['v1.2.0', 'v1.3.0rc1'], 'patch', 'rc', 'python')).toBe('1.3.0rc2')
    expect(next(['v1.2.0'], 'minor', 'beta', 'python')).toBe('1.3.0b1')
    expect(parseVersion('v2.0.0a3')?.format()).toBe('2.0.0-alpha.3')
    expect(parseVersion('v1.2')).toBeUndefined()
    expect(parseVersion('v2024.1.1.post1')).toBeUndefined()
    expect(() => formatVersion(parseVersion('1.0.0-nightly.1')!, 'python')).toThrow(/has no PEP 440 spelling/)
  })
})

describe('Conventional Commits', () => {
  it('asks for a level by type, and major for `!` or a BREAKING CHANGE footer', () => {
    expect(parseCommit('a', 'feat(cli): add --json')).toMatchObject({ type: 'feat', scope: 'cli', subject: 'add --json', level: 'minor' })
    expect(parseCommit('a', 'fix: off by one').level).toBe('patch')
    expect(parseCommit('a', 'perf: faster').level).toBe('patch')
    expect(parseCommit('a', 'docs: typo').level).toBe('none')
    expect(parseCommit('a', 'refactor!: drop the old API')).toMatchObject({ level: 'major', breaking: 'drop the old API' })
    expect(parseCommit('a', 'fix: x\n\nBREAKING CHANGE: the flag is gone')).toMatchObject({ level: 'major', breaking: 'the flag is gone' })
    expect(parseCommit('a', 'fix: x\n\nBREAKING-CHANGE: also this').level).toBe('major')
    expect(parseCommit('a', 'Merge branch main')).toEqual({ hash: 'a', level: 'none', subject: 'Merge branch main' })
    expect(isReleaseCommit(parseCommit('a', 'chore(release): v1.2.0'))).toBe(true)
    // Only Conventional Commits' types: a subject that starts with a word and a colon is no type.
    expect(parseCommit('a', 'Cache: one core')).toEqual({ hash: 'a', level: 'none', subject: 'Cache: one core' })
    expect(parseCommit('a', 'Feat: shouting').type).toBeUndefined()
  })
})

describe('CHANGELOG.md', () => {
  const commits = [
    parseCommit('1111111aaa', 'feat(api): add things'),
    parseCommit('2222222bbb', 'fix: a bug\n\nBREAKING CHANGE: the\nold one goes'),
    parseCommit('3333333ccc', 'ci: faster'),
    parseCommit('4444444ddd', 'no convention here'),
  ]
  const section = renderSection('1.0.0', new Date('2026-12-07T10:00:00Z'), commits)

  it('heads a section ## X.Y.Z, breaking changes first, then by kind', () => {
    expect(section).toBe(
      [
        '## 1.0.0',
        '',
        '_2026-12-07_',
        '',
        '### Breaking changes',
        '',
        '- the old one goes (2222222)',
        '',
        '### Features',
        '',
        '- **api:** add things (1111111)',
        '',
        '### Bug fixes',
        '',
        '- a bug (2222222)',
        '',
        '### Other changes',
        '',
        '- ci: faster (3333333)',
        '',
      ].join('\n'),
    )
  })

  it('goes on top, below the title, and is read back without its heading and date', () => {
    const first = prependSection(undefined, section)
    expect(first.startsWith('# Changelog\n')).toBe(true)
    const second = prependSection(first, renderSection('1.1.0', new Date('2026-12-08T00:00:00Z'), [parseCommit('5555555', 'feat: more')]))
    expect(second.indexOf('## 1.1.0')).toBeLessThan(second.indexOf('## 1.0.0'))
    expect(sectionOf(second, '1.1.0')).toBe('### Features\n\n- more (5555555)')
    expect(sectionOf(second, '1.0.0')).toMatch(/^### Breaking changes\n[\s\S]*- ci: faster \(3333333\)$/)
    expect(sectionOf(second, '0.9.0')).toBeUndefined()
    // A hand-written file keeps what it had.
    expect(prependSection('# History\n\nOld notes.\n', section)).toBe(`# History\n\nOld notes.\n\n${section}`)
  })
})

describe('writing the version', () => {
  it('edits the version line of the right pyproject table only, keeping quotes and comments', async () => {
    const text =
      "[build-system]\nrequires = ['x']\n\n[project]\nname = 'p'\nversion = '0.1.0' # bumped by run version\n\n[tool.x]\nversion = '7'\n"
    expect(await setPyprojectVersion(text, 'project', '0.2.0')).toBe(text.replace("'0.1.0'", "'0.2.0'"))
    await expect(setPyprojectVersion('[project]\nname = "p"\n', 'project', '1.0.0')).rejects.toThrow(/no version = "…" line in \[project\]/)
  })

  it('never edits a line inside a multi-line string that looks like the version: what it writes is read back', async () => {
    const text = '[project]\nname = "p"\ndescription = """\nPin it:\nversion = "1.0"\n"""\nversion = "0.1.0"\n'
    expect(await setPyprojectVersion(text, 'project', '0.2.0')).toBe(text.replace('version = "0.1.0"', 'version = "0.2.0"'))
    // Only such a line: nothing is written.
    const only = '[tool.poetry]\nname = "p"\nversion = "0.1.0"\n[project]\nname = "p"\nreadme = { text = """\nversion = "1"\n""" }\n'
    await expect(setPyprojectVersion(only, 'project', '0.2.0')).rejects.toThrow(/no version = "…" line in \[project\]/)
  })

  it('keeps a JSON document’s indentation and final newline', () => {
    const text = '{\n\t"name": "x",\n\t"version": "1.0.0"\n}\n'
    expect(
      editJson(text, (doc) => {
        doc.version = '1.1.0'
      }),
    ).toBe('{\n\t"name": "x",\n\t"version": "1.1.0"\n}\n')
  })
})

describe("GitHub's upload_url", () => {
  it('fills in the {?name,label} template, and refuses any other', () => {
    const template = 'https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}'
    expect(expandUploadUrl(template, { name: 'a b+c.whl' })).toBe(
      'https://uploads.github.com/repos/o/r/releases/1/assets?name=a%20b%2Bc.whl',
    )
    expect(expandUploadUrl(template, { name: 'x', label: 'y' })).toBe(
      'https://uploads.github.com/repos/o/r/releases/1/assets?name=x&label=y',
    )
    expect(() => expandUploadUrl('https://h/{id}/assets{?name}', { name: 'x' })).toThrow(/not the template GitHub documents/)
  })
})
