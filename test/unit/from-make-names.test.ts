/**
 * The names of targets and prerequisites as the converter's Makefile reader reads them, checked
 * against GNU make itself: for each rule it read, `make TARGET` prints `$@`, `$^` and `$|` as make
 * read them.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeNames, splitUnquoted, withoutComment } from '../../src/init/from/make-syntax.js'
import { readMakefile } from '../../src/init/from/makefile-reader.js'

/** Each rule line gets a recipe printing what make read; a rule's recipe runs after its prerequisites', so its line is the last. */
const RECIPE = "\t@printf '%s\\t%s\\t%s\\n' '$@' '$^' '$|'"
const RULES = [
  'ESCAPED = release\\:test',
  '.PHONY: publish\\:prod publish\\:test $(ESCAPED) test',
  'test:',
  'publish\\:test publish\\:prod: ## escaped colons, as `run --makefile` writes them',
  '$(ESCAPED): test publish\\:test',
  'hand: test publish\\:test # a comment, not a name',
  'notes\\#1:#a comment straight after the colon',
  'sp\\ ace:',
  'uses: sp\\ ace notes\\#1 | y',
  `semi\\;colon: y ;${RECIPE.slice(1)}`, // make takes `\\;` only on a line whose recipe follows a `;`
  'x\\\\:y', // two backslashes: one stays, and the colon separates: target `x\`, prerequisite `y`
  'y:',
  'p\\\\\\:q: y', // three: one stays, the colon is escaped
  'back\\slash: p\\\\\\:q',
  'pipe: a\\|b',
  'a|b:',
  'cash$$:',
  'twice:: cash$$',
]

const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-make-names-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const text = `${RULES.map((line) => (/^\w+ =|^\.PHONY|;/.test(line) ? line : `${line}\n${RECIPE}`)).join('\n')}\n`
writeFileSync(path.join(dir, 'Makefile'), text)
const make = readMakefile('Makefile', text)

describe('the Makefile reader reads names as GNU make does', () => {
  it('reads every rule of the file', () => {
    expect(make.rules.map((r) => r.target)).toEqual([
      'test',
      'publish:test',
      'publish:prod',
      'release:test',
      'hand',
      'notes#1',
      'sp ace',
      'uses',
      'semi;colon',
      'x\\',
      'y',
      'p\\:q',
      'back\\slash',
      'pipe',
      'a|b',
      'cash$',
      'twice',
    ])
    expect([...make.phony]).toEqual(['publish:prod', 'publish:test', 'release:test', 'test'])
    expect(make.rules.find((r) => r.target === 'publish:test')?.description).toBe('escaped colons, as `run --makefile` writes them')
    expect(make.rules.find((r) => r.target === 'hand')?.description).toBeUndefined()
  })

  it.each(make.rules.map((r) => [r.target, r] as const))('%s: the target and prerequisites make read', (target, rule) => {
    const out = execFileSync('make', ['-s', '-r', target], { cwd: dir, encoding: 'utf8' }).split('\n').at(-2)!
    const [name, normal, orderOnly] = out.split('\t')
    expect(rule.target).toBe(name)
    expect(rule.prerequisites.join(' ')).toBe(`${normal} ${orderOnly}`.trim())
  })
})

describe('make-syntax', () => {
  it('halves a run of backslashes before a stop character; an odd run escapes it', () => {
    expect(splitUnquoted('a\\:b: c', ':')).toEqual({ before: 'a:b', stop: ':', after: ' c' })
    expect(splitUnquoted('a\\\\: c', ':')).toEqual({ before: 'a\\', stop: ':', after: ' c' })
    expect(splitUnquoted('a\\b: c', ':')).toEqual({ before: 'a\\b', stop: ':', after: ' c' })
    expect(splitUnquoted('$(subst :,;,$(X)) # c', ':#')).toEqual({ before: '$(subst :,;,$(X)) ', stop: '#', after: ' c' })
    expect(splitUnquoted('a$$:b', ':')).toEqual({ before: 'a$$', stop: ':', after: 'b' })
  })

  it('cuts comments as make does: `\\#` is a `#`, `#` inside a function call is text', () => {
    expect(withoutComment('V = 1 # the version')).toBe('V = 1 ')
    expect(withoutComment('V = a\\#b')).toBe('V = a#b')
    expect(withoutComment('V = a\\\\#b')).toBe('V = a\\')
    expect(withoutComment("V = $(shell echo '#')")).toBe("V = $(shell echo '#')")
  })

  it('reads `\\%` in a target as a literal `%`, a bare one as a pattern, and keeps `\\%` in a prerequisite', () => {
    expect(makeNames('100\\%.txt %.o', true)).toEqual([
      { name: '100%.txt', pattern: false },
      { name: '%.o', pattern: true },
    ])
    expect(makeNames('100\\%.txt $(wildcard src/*.c) a$$b', false).map((n) => n.name)).toEqual(['100\\%.txt', '$(wildcard src/*.c)', 'a$b'])
  })
})
