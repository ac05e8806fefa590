import { execFileSync } from 'node:child_process'
import { statSync, symlinkSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { globFiles, globStats } from '../../src/cache/glob.js'
import { globMatcher } from '../../src/cache/glob-rule.js'
import { Tree } from '../helpers/tree.js'

const trees: Tree[] = []
const tree = (files: Record<string, string>) => {
  const t = new Tree(files)
  trees.push(t)
  return t
}
afterEach(() => {
  for (const t of trees.splice(0)) t.remove()
})

describe('globFiles', () => {
  const files = {
    'src/app.py': '',
    'src/lib/util.py': '',
    'src/lib/.hidden.py': '',
    'src/gen/out.py': '',
    'src/node_modules/dep/index.js': '',
    'src/.git/HEAD': '',
    'pyproject.toml': '',
    'README.md': '',
    'node_modules/pkg/index.js': '',
    '.git/config': '',
  }

  it('expands globs from the root, sorted, dot files included', () => {
    const t = tree(files)
    expect(globFiles(t.dir, ['src/**/*.py', 'pyproject.toml'])).toEqual([
      'pyproject.toml',
      'src/app.py',
      'src/gen/out.py',
      'src/lib/.hidden.py',
      'src/lib/util.py',
    ])
  })

  it('never enters .git/ or node_modules/ unless a pattern names them', () => {
    const t = tree(files)
    const all = globFiles(t.dir, ['**'])
    expect(all.filter((f) => f.includes('node_modules') || f.includes('.git/'))).toEqual([])
    expect(all).toContain('README.md')
    expect(globFiles(t.dir, ['node_modules/pkg/**'])).toEqual(['node_modules/pkg/index.js'])
    expect(globFiles(t.dir, ['**/node_modules/**'])).toEqual(['node_modules/pkg/index.js', 'src/node_modules/dep/index.js'])
    expect(globFiles(t.dir, ['.git/config'])).toEqual(['.git/config'])
  })

  it('excludes with !pattern, a folder with everything in it', () => {
    const t = tree(files)
    expect(globFiles(t.dir, ['src/**', '!src/gen', '!**/.hidden.py'])).toEqual(['src/app.py', 'src/lib/util.py'])
    expect(globFiles(t.dir, ['src/**', '!src/gen/**'])).not.toContain('src/gen/out.py')
    expect(globFiles(t.dir, ['src/**'], ['src/lib/**'])).toEqual(['src/app.py', 'src/gen/out.py'])
  })

  it('takes a folder name as the folder and everything in it, a missing name as nothing', () => {
    const t = tree(files)
    expect(globFiles(t.dir, ['./src/lib/', 'missing', 'missing/**'])).toEqual(['src/lib/.hidden.py', 'src/lib/util.py'])
  })

  it('counts a link to a file as that file and does not follow links to folders', () => {
    const t = tree(files)
    symlinkSync(t.path('README.md'), t.path('src/readme-link.md'))
    symlinkSync(t.path('src'), t.path('src/loop'))
    expect(globFiles(t.dir, ['src/*.md', 'src/loop/**'])).toEqual(['src/readme-link.md'])
    expect(globFiles(t.dir, ['src/**']).some((f) => f.startsWith('src/loop'))).toBe(false)
  })
})

describe('globStats', () => {
  it('gives each file with its size and time, and leaves out what is not a file (a fifo would hang a read)', () => {
    const t = tree({ 'src/a.py': 'abc', 'src/sub/b.py': '', 'other.txt': 'x' })
    execFileSync('mkfifo', [t.path('src/pipe'), t.path('src/sub/pipe.py')])
    symlinkSync(t.path('other.txt'), t.path('src/sub/link.txt'))
    const { mtimeMs } = statSync(t.path('src/a.py'))
    for (const patterns of [['src/**'], ['src'], ['src/*.py', 'src/sub/*.py']]) {
      expect(globStats(t.dir, patterns)).toEqual([
        { file: 'src/a.py', size: 3, mtimeMs },
        { file: 'src/sub/b.py', size: 0, mtimeMs: expect.any(Number) },
        ...(patterns.length === 1 ? [{ file: 'src/sub/link.txt', size: 1, mtimeMs: expect.any(Number) }] : []),
      ])
    }
  })
})

describe('globFiles, patterns that overlap or test each file', () => {
  it('takes braces, overlapping bases and excludes by expression', () => {
    const t = tree({ 'src/a/x.py': '', 'src/b/y.py': '', 'src/c/z.py': '', 'src/a/__pycache__/x.pyc': '', 'src/a/run.log': '' })
    expect(globFiles(t.dir, ['src/{a,b}/*.py'])).toEqual(['src/a/x.py', 'src/b/y.py'])
    expect(globFiles(t.dir, ['src/**/*.py', 'src/a/**', '!**/__pycache__', '!**/*.log'])).toEqual([
      'src/a/x.py',
      'src/b/y.py',
      'src/c/z.py',
    ])
    expect(globFiles(t.dir, ['src/*/*.py', 'src/a/**/*.pyc'])).toEqual([
      'src/a/__pycache__/x.pyc',
      'src/a/x.py',
      'src/b/y.py',
      'src/c/z.py',
    ])
  })
})

describe('globMatcher', () => {
  it('names, of any path, exactly the files the walk finds, for files not on disk yet', () => {
    const files = {
      'src/app.py': '',
      'src/lib/util.py': '',
      'src/lib/.hidden.py': '',
      'src/gen/out.py': '',
      'src/gen/keep.txt': '',
      'src/a/__pycache__/x.pyc': '',
      'src/node_modules/dep/index.js': '',
      'src/.git/HEAD': '',
      'gen/all.txt': '',
      'pyproject.toml': '',
      'node_modules/pkg/index.js': '',
      '.git/config': '',
    }
    const t = tree(files)
    const cases: Array<[string[], string[]?]> = [
      [['**']],
      [['src/**/*.py', 'pyproject.toml']],
      [['src/**', '!src/gen', '!**/.hidden.py']],
      [['src/**', '!**/__pycache__']],
      [['src/**'], ['src/lib/**', 'src/gen/*.py']],
      [['**/node_modules/**', '.git/config']],
      [['./src/lib/', 'gen']],
      [['src/{a,lib}/**']],
    ]
    for (const [patterns, exclude] of cases) {
      const found = globFiles(t.dir, patterns, exclude)
      const named = Object.keys(files).filter(globMatcher(patterns, exclude)).sort()
      expect(named, JSON.stringify([patterns, exclude])).toEqual(found)
    }
  })
})
