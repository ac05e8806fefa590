import { describe, expect, it } from 'vitest'
import { changeMatcher, skipFolder, watchedGlobs, watchRoots, watchTarget } from '../../src/watch/globs.js'

const run = () => {}
/** The target of one task with these inputs, and outputs. */
const one = (inputs: string[] | undefined, outputs: string[] = []) => watchTarget([{ run, inputs, outputs }])

describe('watchTarget', () => {
  it("takes the union of the plan's inputs and outputs", () => {
    const target = watchTarget([
      { run, inputs: ['src/**', 'pyproject.toml'], outputs: ['dist/**'] },
      { run, inputs: ['src/**', 'tests/**'] },
      { inputs: undefined }, // a pipeline: no run, no inputs needed
    ])
    expect(watchedGlobs(target)).toEqual(['src/**', 'pyproject.toml', 'tests/**'])
    expect(changeMatcher(target)('dist/app.js')).toBe(false)
  })

  it('watches the whole project when a task that runs declares no inputs', () => {
    const target = watchTarget([
      { run, inputs: ['src/**'] },
      { run, outputs: ['build/**'] },
    ])
    expect(target.inputs).toBe('project')
    expect(changeMatcher(target)('build/x')).toBe(false)
    expect(watchTarget([{ run, inputs: [] }]).inputs).toBe('project')
  })
})

describe('changeMatcher', () => {
  it('matches the inputs, minus !excludes, outputs, .git and node_modules', () => {
    const matches = changeMatcher(one(['src/**', 'pyproject.toml', '!src/generated/**'], ['src/**/*.pyc']))
    expect(['src/app.py', 'src/pkg/.env', 'pyproject.toml'].filter(matches)).toHaveLength(3)
    for (const path of ['README.md', 'src/generated/x.py', 'src/app.pyc', 'src/node_modules/x.js', 'src/.git/HEAD']) {
      expect(matches(path), path).toBe(false)
    }
  })

  it('lets a glob that names node_modules or .git reach into it', () => {
    const matches = changeMatcher(one(['node_modules/some-lib/**']))
    expect(matches('node_modules/some-lib/index.js')).toBe(true)
    expect(matches('node_modules/other/index.js')).toBe(false)
  })

  it('takes everything but .git, node_modules and outputs for the whole project', () => {
    const matches = changeMatcher(one(undefined, ['dist/**']))
    expect(['a.ts', 'src/b.ts', '.env'].every(matches)).toBe(true)
    expect(['.git/index', 'node_modules/x/y.js', 'dist/app.js', 'pkg/node_modules/z.js'].some(matches)).toBe(false)
  })
})

describe('watchRoots and skipFolder', () => {
  it('watches the fixed start of each glob, none inside another', () => {
    expect(watchRoots(one(['src/**', 'src/lib/*.ts', 'pyproject.toml', '!src/gen/**']))).toEqual(['pyproject.toml', 'src'])
    expect(watchRoots(one(['**/*.ts', 'src/**']))).toEqual([''])
    expect(watchRoots(one(undefined))).toEqual([''])
  })

  it('does not descend into hidden folders no glob names, nor outputs', () => {
    const skip = skipFolder(one(['**/*.ts', 'node_modules/lib/**'], ['dist/**']))
    expect(['.git', 'a/.git', 'dist'].every(skip)).toBe(true)
    expect(['src', 'node_modules', 'lib'].some(skip)).toBe(false)
  })

  it('descends only into folders that hold or lead to the start of an input glob', () => {
    const skip = skipFolder(one(['src/**', 'conf/deep/app.json']))
    expect(['src', 'src/a/b', 'conf', 'conf/deep'].some(skip)).toBe(false)
    expect(['docs', 'conf/other', 'srcs'].every(skip)).toBe(true)
  })
})

describe('watching the whole project', () => {
  it('leaves out what .gitignore ignores: a task that rewrites its cache must not start the next run for ever', () => {
    const target = watchTarget([{ run: () => {} }], '.pytest_cache/\n__pycache__/\n*.log\n!keep.log\n')
    const changes = changeMatcher(target)
    expect(changes('.pytest_cache/v/cache/nodeids')).toBe(false)
    expect(changes('src/pkg/__pycache__/mod.cpython-311.pyc')).toBe(false)
    expect(changes('build.log')).toBe(false)
    expect(changes('keep.log')).toBe(true)
    expect(changes('src/pkg/mod.py')).toBe(true)
    const skip = skipFolder(target)
    expect(skip('.pytest_cache')).toBe(true)
    expect(skip('src')).toBe(false)
  })

  it('lets declared inputs win over .gitignore', () => {
    const target = watchTarget([{ run: () => {}, inputs: ['gen/**'] }], 'gen/\n')
    expect(changeMatcher(target)('gen/a.txt')).toBe(true)
  })
})
