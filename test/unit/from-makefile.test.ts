// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the expected texts are generated TypeScript, placeholders included
import { describe, expect, it } from 'vitest'
import { convertTasksFile } from '../../src/init/from/index.js'

const convert = (text: string) => convertTasksFile('Makefile', text)

describe('run --init --from Makefile', () => {
  it('makes one task per target, prerequisites and leading $(MAKE) x lines as deps, ## comments as descriptions', async () => {
    const c = await convert(
      '.PHONY: clean build all\nclean: ## Remove output\n\t@rm -rf dist\nbuild: clean\n\t@echo build\nall: build\n\t@$(MAKE) -s clean\n\t@echo all\n',
    )
    expect(c.tasks).toEqual(['clean', 'build', 'all'])
    expect(c.source).toContain("description: 'Remove output'")
    expect(c.source).toMatch(/export const all = task\(\{\n {2}deps: \[build, clean\],\n {2}run: \(\) => \$`echo all`,/)
  })

  it('runs each recipe line as its own command, stopping at the first failure, and `-` lines do not fail the task', async () => {
    const c = await convert('.PHONY: lint\nlint:\n\t@echo one\n\t-@false\n\t@echo two\n')
    expect(c.source).toContain('await $`echo one`\n    await $`false`.nothrow()\n    await $`echo two`')
  })

  it('turns simple variables into constants, ?= into the environment default, $$ into $, $@ into the target', async () => {
    const c = await convert(
      'PKG := demo\nDIRS = src tests\nPY ?= python3\n.PHONY: t\nt:\n\t@echo $(PKG) $(DIRS) $@\n\t@$(PY) -V; echo $$HOME\n',
    )
    expect(c.source).toContain("const PKG = 'demo'\nconst DIRS = ['src', 'tests']")
    // Two blanks between words: zx would join them with one, so the text is pasted as make pastes it.
    expect((await convert("GAP = a  b\n.PHONY: t\nt:\n\t@echo '$(GAP)'\n")).source).toContain("$`echo 'a  b'`")
    expect(c.source).toContain('sh`echo ${PKG} ${DIRS} t`') // one line of the task needs sh: all of its lines use it
    expect(c.source).toContain('sh`\\${PY:-python3} -V; echo $HOME`') // a line bash reads differently with set -e: the sh helper
  })

  it("keeps make's built-in variables: the environment wins over CC=cc, a `?=` does not (unless MAKEFLAGS has -R)", async () => {
    const c = await convert('CC ?= gcc\n.PHONY: t\nt:\n\t@$(CC) -c a.c && $(RM) a.o\n')
    expect(c.source).toContain('sh`\\${CC:-cc} -c a.c && \\${RM:-rm -f} a.o`')
    const r = await convert('MAKEFLAGS += -R\nCC ?= gcc\n.PHONY: t\nt:\n\t@$(CC) -c a.c\n')
    expect(r.source).toContain('sh`\\${CC:-gcc} -c a.c`')
  })

  it('refuses what make computes itself (its functions, $*, substitution references), naming the line where it is written', async () => {
    const inVariable = convert('# sources\n\nSRC := $(wildcard src/*.c)\n.PHONY: t\nt:\n\t@echo $(SRC)\n')
    await expect(inVariable).rejects.toThrow("Makefile:3: runts does not convert make's function $(wildcard …): SRC := $(wildcard src/*.c)")
    await expect(inVariable).rejects.toMatchObject({
      hint: expect.stringContaining('runts converts $(shell …) only: write out what $(wildcard …) gives'),
      location: { file: 'Makefile', line: 3, column: 8 },
    })
    await expect(convert('A = x\nA += $(notdir a/b)\nt:\n\t@echo $(A)\n')).rejects.toThrow(/^Makefile:2: .*\$\(notdir …\)/)
    await expect(convert('.PHONY: t\nt:\n\t@echo ok\n\t@echo $(patsubst %.c,%.o,a.c)\n')).rejects.toThrow(
      "Makefile:4: runts does not convert make's function $(patsubst …): @echo $(patsubst %.c,%.o,a.c)",
    )
    await expect(convert('t:\n\t@echo $*\n')).rejects.toThrow("Makefile:2: runts does not convert make's automatic variable $*")
    await expect(convert('O = a.c\nt:\n\t@echo $(O:.c=.o)\n')).rejects.toThrow(
      'Makefile:3: runts does not convert a substitution reference',
    )
    await expect(convert('t:\n\t@echo $(O\n')).rejects.toThrow('Makefile:2: runts does not convert an unterminated variable reference')
    // A line the shell cannot read: its Makefile line, and a hint that is true of a Makefile.
    await expect(convert('V = 1\n.PHONY: t\nt:\n\t@echo "$(V) (\n')).rejects.toMatchObject({
      message: 'Makefile:4: bash cannot parse this recipe line (make\'s variables expanded): @echo "$(V) (',
      hint: expect.stringContaining('make -n TARGET'),
    })
  })

  it('makes what a recipe reads from the included .env its env, and says when a secret reaches a command line', async () => {
    const text =
      '-include .env\nexport\n.PHONY: publish\npublish:\n\t@twine upload -u __token__ -p $(PYPI_TOKEN) --repository-url "$$PYPI_URL" dist/*\n'
    const c = await convertTasksFile('Makefile', text, { envNames: new Set(['PYPI_TOKEN', 'PYPI_URL', 'UNUSED']) })
    expect(c.source).toContain("  env: ['PYPI_TOKEN', 'PYPI_URL'],\n")
    expect(c.notes).toEqual([
      'publish: twine gets PYPI_TOKEN on its command line, where ps shows it to every user of this machine: give it to twine in its environment or on stdin instead.',
    ])
    // Without the include, the variables do not come from .env: no env.
    expect(
      (await convertTasksFile('Makefile', text.replace('-include .env\nexport\n', ''), { envNames: new Set(['PYPI_TOKEN']) })).source,
    ).not.toContain('env: [')
  })

  it('refuses a variable that doubles itself into more than 1 MiB, naming its line', async () => {
    const levels = Array.from({ length: 24 }, (_, i) => `A${i + 1} = $(A${i}) $(A${i})`).join('\n')
    await expect(convert(`A0 = x\n${levels}\n.PHONY: t\nt:\n\t@echo $(A24)\n`)).rejects.toThrow(
      /^Makefile:\d+: runts does not convert \$\(A\d+\), which expands to more than 1 MiB/,
    )
  })

  it('drops help, .DEFAULT_GOAL and .env loading, and notes that make echoed unsilenced lines', async () => {
    const c = await convert(
      'ifneq (,$(wildcard .env))\ninclude .env\nexport\nendif\n.DEFAULT_GOAL := help\nhelp:\n\t@grep x Makefile\nrm:\n\trm -rf dist\n',
    )
    expect(c.tasks).toEqual(['rm'])
    expect(c.dropped.map((d) => d.what)).toEqual(['ifneq (,$(wildcard .env)) … endif', '.DEFAULT_GOAL := help', 'the help target'])
    expect(c.source).toContain('make printed each recipe line before running it; `run -x TASK` prints each command.')
  })

  it('expands variables in target and prerequisite names as make reads them, and skips the recipes of pattern rules', async () => {
    const c = await convert('VENV := .venv\n%.o: %.c\n\tcc -c $<\n$(VENV)/ok: req.txt\n\t@touch $@\ninstall: ${VENV}/ok\n\t@echo ok\n')
    expect(c.tasks).toEqual(['.venv/ok', 'install'])
    expect(c.dropped.map((d) => d.what)).toEqual(['the %.o rule', 'the prerequisite req.txt of .venv/ok'])
    expect(c.source).toContain("name: '.venv/ok',")
    expect(c.source).toContain('touch .venv/ok')
    expect(c.source).toMatch(/export const install = task\(\{\n {2}deps: \[venvOk\],/)
  })

  it('exports what the Makefile exports to every recipe line, ?= ones as defaults', async () => {
    const c = await convert(
      'NAME := demo\nexport APP_ENV = test $(NAME)\nexport PY ?= python3\nQUIET = 1\n.PHONY: t\nt:\n\t@echo "$$APP_ENV"\n',
    )
    expect(c.source).toContain('const prelude = `export APP_ENV="test demo"\nexport PY="\\${PY:-python3}"\n`')
    expect(c.source).toContain('run: () => sh`echo "$APP_ENV"`')
    expect(c.source).not.toContain('QUIET')
  })

  it('refuses what it cannot convert, naming the line', async () => {
    await expect(convert('ifeq ($(CI),true)\nX = 1\nendif\nbuild:\n\t@echo\n')).rejects.toThrow(
      /Makefile:1: runts does not convert this line of make: ifeq/,
    )
    await expect(convert('a:\n\t@echo a\nb c &: a\n\t@echo b\n')).rejects.toThrow(
      /Makefile:3: runts does not convert this line of make \(grouped targets, `&:`\): b c &: a/,
    )
    await expect(convert('.PHONY: t\nt: X = 1\nt:\n\t@echo $(X)\n')).rejects.toThrow(
      /Makefile:2: runts does not convert this line of make \(a target-specific variable\): t: X = 1/,
    )
  })

  it('reads escaped names as make does: `publish\\:test` is the task publish:test, and a dep under that name', async () => {
    const c = await convert(
      '.PHONY: test publish\\:test release\n# Run the tests\ntest:\n\t@echo test\npublish\\:test: ## Publish to the test registry\n\t@echo publishing $@\nrelease: test publish\\:test # not a description\n\t@echo released\n',
    )
    expect(c.tasks).toEqual(['test', 'publish:test', 'release'])
    expect(c.dropped).toEqual([])
    expect(c.source).toContain(
      "name: 'publish:test',\n  description: 'Publish to the test registry',\n  run: () => $`echo publishing publish:test`,",
    )
    expect(c.source).toMatch(/export const release = task\(\{\n {2}deps: \[test, publishTest\],\n {2}run: \(\) => \$`echo released`,/)
    expect(c.source).not.toContain('out of date') // every target is .PHONY, under its unescaped name
  })

  it('never drops a prerequisite in silence: one that is no task is said above the task and in the list of what was left out', async () => {
    const c = await convert('.PHONY: help build all\nhelp:\n\t@echo help\nbuild: VERSION\n\t@cat VERSION\nall: help build\n')
    expect(c.tasks).toEqual(['build', 'all'])
    expect(c.dropped.map((d) => d.what)).toEqual(['the help target', 'the prerequisite VERSION of build', 'the prerequisite help of all'])
    expect(c.dropped[1]!.why).toMatch(
      /^it is a file, or made by a rule runts does not convert: make checked that it exists \(and remade build/,
    )
    expect(c.dropped[2]!.why).toBe('the help target is left out (`run help` (or `run`) lists the tasks with their descriptions)')
    expect(c.source).toMatch(
      /\/\/ make made its prerequisite VERSION first; it is not a task here: it is a file, .*\n(\/\/ .*\n)*export const build = task/,
    )
    expect(c.source).toMatch(/export const all = task\(\{\n {2}deps: \[build\],\n\}\)/)
  })

  it('cuts comments as make does: after a value, straight after a colon, `\\#` kept as `#`', async () => {
    const c = await convert('V = 1.0 # the version\nH = a\\#b\n.PHONY: t\nt:#no description\n\t@echo $(V) "$(H)"\n')
    expect(c.source).toContain("const V = '1.0'")
    expect(c.source).toContain('run: () => $`echo ${V} "a#b"`')
  })
})
