/**
 * `run --init --from` never turns text of the converted file into code (issue 23, item 1): names,
 * values and comments full of what ends a comment (U+2028, U+2029, CR, LF), closes a string or a
 * template (quotes, backticks, `${`, backslashes) or ends a block comment (`*` `/`) go through each
 * of the three converters (run.sh, Makefile, package.json) by the built CLI; the tasks file it wrote
 * is then loaded by the real CLI (`run --list --json`) and a task run, and:
 * - nothing ran: a payload that would write a marker file (or exit) when run as JavaScript or as
 *   shell never did, and the file loads (exit 0);
 * - the text survived: task names and descriptions are the original's, the task prints what the
 *   original printed (`bash run.sh TASK`, `make -s TARGET`, `npm run -s SCRIPT`), and the text of a
 *   comment is in the comment, each invisible character written as its escape.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { visible } from '../../src/init/from/literals.js'
import { Project, runProcess } from '../helpers/project.js'

/** JavaScript that leaves a mark when it runs, and shell that does. */
const JS_PAYLOAD = "process.getBuiltinModule('fs').writeFileSync('PWNED_JS','')"
const SH_PAYLOAD = '$(touch PWNED_SH)`touch PWNED_SH`'

/** What ends a line, a comment, a string or a template, or starts an interpolation; and text around it. */
const PIECES = [
  '\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u2029',
  '*/',
  '/*',
  '`',
  '${',
  '}',
  "'",
  '"',
  '\\',
  '$',
  '{',
  '//',
  '\u202e',
  '\x1b[2J',
  ' ',
  'a',
  ':',
  JS_PAYLOAD,
  `\u2028${JS_PAYLOAD}\u2028`,
  `*/${JS_PAYLOAD}/*`,
  `\`;${JS_PAYLOAD};\``,
  `\${${JS_PAYLOAD}}`,
  `';${JS_PAYLOAD};'`,
  SH_PAYLOAD,
]

/** Hostile text, without the characters `without` matches (what the original tool cannot hold there). */
const hostile = (without?: RegExp) =>
  fc
    .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 10 })
    .map((pieces) => (without ? pieces.join('').replace(without, '') : pieces.join('')))

/** Characters bash takes in a function name and make in a target: no blanks, quotes or operators. */
const NAME_PIECES = ['a', 'Z', '9', '-', '_', ':', '.', '+', '@', '\u2028', '\u2029', '\u202e', 'é', '\r']
const name = (first: string, without?: RegExp) =>
  fc.array(fc.constantFrom(...NAME_PIECES), { maxLength: 8 }).map((pieces) => `${first}${pieces.join('')}`.replace(without ?? /(?!)/g, ''))

/** Text inside single quotes for bash: each `'` as `'\''`. */
const sq = (text: string) => `'${text.replace(/'/g, "'\\''")}'`

/** A script as npm's description of it: on one line, cut at 100 characters. */
function oneLine(script: string): string {
  const line = script.replace(/\s+/g, ' ').trim()
  return line.length > 100 ? `${line.slice(0, 99)}…` : line
}

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

interface Source {
  file: string
  text: string
  /** The task to run by both, and how the original runs it. */
  task: string
  original: string[]
  /** Public task names and their descriptions, as `run --list --json` must show them. */
  listed: Array<{ name: string; description?: string }>
  /** Texts that land in comments of the tasks file. */
  commented: string[]
}

/** Converts `source` with the built CLI, loads the result, runs its task and the original's; checks all of the above. */
async function check(source: Source): Promise<void> {
  const project = new Project({ [source.file]: source.text })
  const originalDir = mkdtempSync(path.join(os.tmpdir(), 'runts-hostile-original-'))
  dirs.push(project.dir, originalDir)
  cpSync(project.dir, originalDir, { recursive: true })
  const init = await project.run(['--init', '--from', source.file])
  expect(init.stderr).not.toMatch(/^error/m)
  expect(init.code).toBe(0)
  // What it printed is one line per thing said: no text of the file moves the cursor or ends a line.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters it must not print
  expect(init.stderr).not.toMatch(/[\r\u2028\u2029\x1b\u202e]/)
  const written = readFileSync(path.join(project.dir, 'tasks.config.ts'), 'utf8')
  for (const text of source.commented) expect(written).toContain(visible(text))

  const list = await project.run(['--list', '--json'])
  expect(list.stderr).toBe('')
  expect(list.code).toBe(0)
  const listed = JSON.parse(list.stdout).map((t: { name: string; description: string }) => ({ name: t.name, description: t.description }))
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1)
  expect(listed.sort(byName)).toEqual(source.listed.map((t) => ({ name: t.name, description: t.description ?? '' })).sort(byName))

  const before = await runProcess(source.original[0]!, source.original.slice(1), { cwd: originalDir })
  const after = await project.run([source.task])
  expect(after.stdout).toBe(before.stdout)
  expect(after.code).toBe(before.code)
  for (const mark of ['PWNED_JS', 'PWNED_SH']) {
    expect(existsSync(path.join(project.dir, mark)), `${mark} in the converted project`).toBe(false)
    expect(existsSync(path.join(originalDir, mark)), `${mark} by the original`).toBe(false)
  }
}

/** Each run starts four processes; `RUNTS_FUZZ_RUNS=200` tries more cases. */
const RUNS = { numRuns: Number(process.env.RUNTS_FUZZ_RUNS) || 12, endOnFailure: true }

describe('run --init --from keeps hostile text as text', () => {
  it('run.sh: function names, comments, dropped and kept top-level lines, quoted values, here-documents', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Names tree-sitter-bash reads as bash does: it takes a CR for a blank (a run.sh with CRs does not run
        // in bash anyway), and refuses some names bash takes (`a@b`, `t+:`, `u..`, one that ends with U+2029;
        // runts says so with the line).
        name('t', /[\r@+.]/g).map((n) => `${n}z`),
        name('u', /[\r@+.]/g).map((n) => `${n}z`),
        hostile(/\n/g),
        hostile(),
        hostile(/\n/g),
        hostile(),
        async (plainName, scriptName, doc, value, dropped, heredoc) => {
          fc.pre(plainName !== scriptName)
          // A here-document's text ends at the line that is its delimiter alone. tree-sitter-bash refuses some
          // backslashes in a quoted one that bash takes (`\')`; runts says so, with the line): none here.
          const body = heredoc.replace(/^EOF\r?$/gm, 'eof').replace(/\\/g, '/')
          const text = [
            '#!/usr/bin/env bash',
            `TIMEFORMAT=${sq(dropped)}`,
            `KEPT=${sq(value)}`,
            `# Doc ${doc} end`,
            `${plainName}() {`,
            `  printf '%s\\n' ${sq(value)}`,
            '}',
            `${scriptName}() {`,
            `  printf '%s\\n' "$KEPT"`,
            "  cat <<'EOF'",
            body,
            'EOF',
            '}',
            '"$@"',
            '',
          ].join('\n')
          await check({
            file: 'run.sh',
            text,
            task: plainName,
            original: ['bash', 'run.sh', plainName],
            listed: [{ name: plainName, description: `Doc ${doc} end` }, { name: scriptName }],
            commented: [`TIMEFORMAT=${sq(dropped)}`.split('\n')[0]!],
          })
          await check({
            file: 'run.sh',
            text,
            task: scriptName,
            original: ['bash', 'run.sh', scriptName],
            listed: [{ name: plainName, description: `Doc ${doc} end` }, { name: scriptName }],
            commented: [],
          })
        },
      ),
      {
        ...RUNS,
        examples: [
          // The issue's own: a line separator in a dropped line ends the comment it is copied into.
          ['t', 'u', `x\u2028${JS_PAYLOAD}//`, 'v', `\u2028${JS_PAYLOAD}\u2028`, 'h'],
          ['t\u2029', 'u\u2028', `*/${JS_PAYLOAD}`, `\r\n${SH_PAYLOAD}\`\${x}\\`, '\r', '\r\nEOF\r'],
        ],
      },
    )
  }, 600_000)

  it('Makefile: target names, ## comments, prerequisites that are files, recipe lines, variables', async () => {
    // make reads no newline in any of these, a `#` starts a comment, `$` is make's, `(` in a
    // prerequisite names an archive member, a backslash at the end of a line continues it.
    const makeText = hostile(/[\n\r#$()]/g).map((t) => t.replace(/\\+$/, ''))
    await fc.assert(
      fc.asyncProperty(
        name('t', /\r/g),
        hostile(/[\n\r]/g).map((t) => t.replace(/\\+$/, '')),
        hostile(/[\n]/g),
        // It is pasted inside single quotes.
        makeText.map((t) => t.replace(/'/g, '')),
        makeText.map((t) => t.replace(/[ \t:;|=%\\'"]/g, '')),
        async (target, doc, recipe, variable, prerequisite) => {
          const escaped = target.replace(/:/g, '\\:')
          const file = `f${prerequisite}`
          const text = [
            `V := v${variable} end`,
            `.PHONY: ${escaped} other`,
            `${escaped}: ## Doc ${doc} end`,
            `\t@printf '%s\\n' ${sq(recipe).replace(/\$/g, '$$$$')}`,
            `\t@printf '%s\\n' ${sq('$(V)').replace(/'\\''/g, '')}`,
            `other: ${escaped} ${file}`,
            '\t@echo other',
            '',
          ].join('\n')
          await check({
            file: 'Makefile',
            text,
            task: target,
            original: ['make', '-s', target],
            listed: [{ name: target, description: `Doc ${doc} end` }, { name: 'other' }],
            commented: [file],
          })
        },
      ),
      {
        ...RUNS,
        examples: [
          // The issue's own: a line separator in a prerequisite (a file) ends the comment that names it.
          ['t', 'd', 'r', 'x', `\u2028${JS_PAYLOAD.replace(/[()' ]/g, '')}\u2028`],
          ['t\u2028', `*/\u2028\`\${x}`, `\r${SH_PAYLOAD}'\`\${`, '`{"\\', '*/`{'],
        ],
      },
    )
  }, 600_000)

  it('package.json: script names, scripts, their pre hooks', async () => {
    await fc.assert(
      fc.asyncProperty(hostile(), hostile(), hostile(), async (script, value, hook) => {
        const scriptName = `t${script}`
        const scripts = {
          [scriptName]: `printf '%s\\n' ${sq(value)}`,
          [`pre${scriptName}`]: `printf '%s\\n' ${sq(hook)}`,
        }
        const text = `${JSON.stringify({ name: 'hostile', version: '1.0.0', scripts }, null, 2)}\n`
        await check({
          file: 'package.json',
          text,
          task: scriptName,
          original: ['npm', 'run', '-s', scriptName],
          listed: [{ name: scriptName, description: oneLine(scripts[scriptName]!) }],
          commented: [`Runs before ${scriptName}`],
        })
      }),
      {
        ...RUNS,
        examples: [
          // The issue's own: a newline in a script's name ends the comment that names it.
          [`\n${JS_PAYLOAD}\n//`, 'v', 'h'],
          ['\u2028*/`${', `\r\n${SH_PAYLOAD}\``, `';${JS_PAYLOAD};'`],
        ],
      },
    )
  }, 600_000)
})
