import { execFileSync } from 'node:child_process'
import { statSync, symlinkSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { InputSet } from '../../src/cache/inputs/input-set.js'
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

const globStats = (root: string, patterns: string[], exclude?: string[]) => new InputSet(patterns, exclude).files(root)
const globFiles = (root: string, patterns: string[], exclude?: string[]) => globStats(root, patterns, exclude).map((f) => f.file)
const globMatcher = (patterns: string[], exclude?: string[]) => {
  const set = new InputSet(patterns, exclude)
  return (file: string) => set.matches(file)
}

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

  it('counts a link to a file as that file, and a link to a folder as that folder, but never walks a loop', () => {
    const t = tree({ ...files, 'shared/lib.py': '', 'shared/deep/x.py': '' })
    symlinkSync(t.path('README.md'), t.path('src/readme-link.md'))
    symlinkSync(t.path('src'), t.path('src/loop'))
    symlinkSync(t.dir, t.path('src/lib/root'))
    symlinkSync(t.path('shared'), t.path('src/shared'))
    symlinkSync(t.path('src/shared'), t.path('shared/deep/back'))
    expect(globFiles(t.dir, ['src/*.md', 'src/loop/**'])).toEqual(['src/readme-link.md'])
    const all = globFiles(t.dir, ['src/**'])
    expect(all.filter((f) => f.includes('loop') || f.includes('/root/'))).toEqual([])
    expect(all.filter((f) => f.startsWith('src/shared/'))).toEqual(['src/shared/deep/x.py', 'src/shared/lib.py'])
    // The same through the walk that tests each name, and from a base that is itself a link.
    expect(globFiles(t.dir, ['src/**/*.py'])).toContain('src/shared/deep/x.py')
    expect(globFiles(t.dir, ['src/shared/**'])).toEqual(['src/shared/deep/x.py', 'src/shared/lib.py'])
  })

  it('gives the files in path order, the order of < on the whole paths, though each folder is read alone', () => {
    const t = tree({
      'a/x': '',
      'a-b': '',
      'a.c/y': '',
      a0: '',
      'b/a/z': '',
      'b/a-1': '',
      'b/a.2/w': '',
      B: '',
      'pyproject.toml': '',
      'src/é.py': '',
      'src/e.py': '',
    })
    for (const patterns of [['**'], ['a', 'a-b', 'a.c', 'a0', 'b', 'B', 'pyproject.toml', 'src'], ['**/*', 'pyproject.toml']]) {
      const files = globFiles(t.dir, patterns)
      expect(files, JSON.stringify(patterns)).toEqual([...files].sort())
      expect(files).toHaveLength(11)
    }
  })

  it('takes nothing from a folder that an exclude names as the include does', () => {
    const t = tree(files)
    expect(globFiles(t.dir, ['src/**', '!src/**'])).toEqual([])
    expect(globFiles(t.dir, ['src', '!src'])).toEqual([])
    expect(globFiles(t.dir, ['src/**'], ['src/**'])).toEqual([])
    expect(globFiles(t.dir, ['**', '!**'])).toEqual([])
    expect(globMatcher(['src/**', '!src/**'])('src/app.py')).toBe(false)
  })
})

describe('globStats', () => {
  it('gives each file with its size and time, and leaves out what is not a file (a fifo would hang a read)', () => {
    const t = tree({ 'src/a.py': 'abc', 'src/sub/b.py': '', 'other.txt': 'x' })
    execFileSync('mkfifo', [t.path('src/pipe'), t.path('src/sub/pipe.py')])
    symlinkSync(t.path('other.txt'), t.path('src/sub/link.txt'))
    const { mtimeMs } = statSync(t.path('src/a.py'))
    for (const patterns of [['src/**'], ['src'], ['src/*.py', 'src/sub/*.py']]) {
      const any = { mtimeMs: expect.any(Number), ctimeMs: expect.any(Number), ino: expect.any(Number) }
      expect(globStats(t.dir, patterns)).toEqual([
        { file: 'src/a.py', size: 3, ...any, mtimeMs },
        { file: 'src/sub/b.py', size: 0, ...any },
        ...(patterns.length === 1 ? [{ file: 'src/sub/link.txt', size: 1, ...any }] : []),
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
