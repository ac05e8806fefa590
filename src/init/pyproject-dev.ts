/**
 * `run --init` in a Python project with no package.json: runts becomes one of the project's dev
 * dependencies, as pytest is, in `[dependency-groups] dev` when the project keeps its dev tools there
 * (uv does) or has no `[project]` table, else in `[project.optional-dependencies] dev` (the extra the
 * python template's `install` installs). pyproject.toml is edited as text, one line added or one
 * array entry, so that its comments and layout stay; the result is parsed and must equal the file as
 * it was plus that one requirement, or nothing is written and the user is told what to add.
 */
import { parse } from 'smol-toml'

export interface DevPlace {
  kind: 'extra' | 'group'
  /** The extra's or the group's name. */
  name: string
  /** As a person reads it: `[project.optional-dependencies] dev`. */
  table: string
}

export type DevEdit =
  | { result: 'added'; text: string; place: DevPlace }
  | { result: 'already'; place: DevPlace }
  | { result: 'cannot'; why: string; place: DevPlace; line: string }

const TABLES = {
  extra: { header: /^\s*\[\s*project\s*\.\s*optional-dependencies\s*\]\s*(?:#.*)?$/, table: '[project.optional-dependencies]' },
  group: { header: /^\s*\[\s*dependency-groups\s*\]\s*(?:#.*)?$/, table: '[dependency-groups]' },
} as const

type Toml = Record<string, unknown>

/** pyproject.toml's text with `requirement` (e.g. `runts>=1.2.0`) added to the dev extra or group. */
export function addDevRequirement(text: string, requirement: string): DevEdit {
  let before: Toml
  try {
    before = parse(text) as Toml
  } catch (error) {
    const place = placeOf({})
    return {
      result: 'cannot',
      why: `pyproject.toml does not parse: ${(error as Error).message.split('\n')[0]}`,
      place,
      line: entry(requirement),
    }
  }
  const name = requirement.split(/[<>=!~;[ ]/)[0]!
  const found = declaredIn(before, name)
  if (found) return { result: 'already', place: found }
  const place = placeOf(before)
  const edited = insert(text, place, requirement)
  const cannot = (why: string): DevEdit => ({ result: 'cannot', why, place, line: entry(requirement) })
  if (edited === undefined) return cannot(`pyproject.toml declares ${place.table} in a form runts does not edit`)
  let after: Toml
  try {
    after = parse(edited) as Toml
  } catch {
    return cannot('adding the line would not leave valid TOML')
  }
  // What the file said, plus the requirement at the head of the list (where it was written).
  const expected = parse(text) as Toml
  listAt(expected, place)!.unshift(requirement)
  if (JSON.stringify(sorted(after)) !== JSON.stringify(sorted(expected))) return cannot('adding the line would change more than that list')
  return { result: 'added', text: edited, place }
}

/** `dev = ["runts>=1.2.0"]`, the line a person adds by hand. */
function entry(requirement: string): string {
  return `dev = [${JSON.stringify(requirement)}]`
}

/** Groups where the project has them (or no [project] to hold extras), else the dev extra. */
function placeOf(toml: Toml): DevPlace {
  const kind = toml['dependency-groups'] !== undefined || toml.project === undefined ? 'group' : 'extra'
  return { kind, name: 'dev', table: `${TABLES[kind].table} dev` }
}

/** The extra or group (any name) that already lists `name`. */
function declaredIn(toml: Toml, name: string): DevPlace | undefined {
  const normal = (text: string) => text.toLowerCase().replace(/[-_.]+/g, '-')
  const lists: Array<[DevPlace['kind'], Record<string, unknown> | undefined]> = [
    ['group', toml['dependency-groups'] as Record<string, unknown> | undefined],
    ['extra', (toml.project as Toml | undefined)?.['optional-dependencies'] as Record<string, unknown> | undefined],
  ]
  for (const [kind, table] of lists) {
    for (const [key, value] of Object.entries(table ?? {})) {
      if (!Array.isArray(value)) continue
      const names = value.filter((v): v is string => typeof v === 'string').map((v) => normal(v.split(/[<>=!~;[ ]/)[0]!.trim()))
      if (names.includes(normal(name))) return { kind, name: key, table: `${TABLES[kind].table} ${key}` }
    }
  }
  return undefined
}

/** The list of `place` in a parsed file, made (empty) where the file has none yet. */
function listAt(toml: Toml, place: DevPlace): unknown[] | undefined {
  const parent = place.kind === 'group' ? toml : (toml.project as Toml | undefined)
  if (!parent) return undefined
  const key = place.kind === 'group' ? 'dependency-groups' : 'optional-dependencies'
  parent[key] ??= {}
  const table = parent[key] as Toml
  table[place.name] ??= []
  return Array.isArray(table[place.name]) ? (table[place.name] as unknown[]) : undefined
}

/** The text with the requirement added: into the `dev = [` array, as a `dev = [...]` line under the header, or as a new table at the end. */
function insert(text: string, place: DevPlace, requirement: string): string | undefined {
  const lines = text.split('\n')
  const header = lines.findIndex((line) => TABLES[place.kind].header.test(line))
  const quoted = JSON.stringify(requirement)
  if (header < 0) {
    // No such table yet (an inline `optional-dependencies = {…}` under [project] fails the check after).
    const end = text.length === 0 || text.endsWith('\n') ? '' : '\n'
    return `${text}${end}\n${TABLES[place.kind].table}\n${entry(requirement)}\n`
  }
  let next = lines.findIndex((line, i) => i > header && /^\s*\[/.test(line))
  if (next < 0) next = lines.length
  const key = lines.findIndex((line, i) => i > header && i < next && /^\s*"?dev"?\s*=/.test(line))
  if (key < 0) {
    lines.splice(header + 1, 0, entry(requirement))
    return lines.join('\n')
  }
  const line = lines[key]!
  const open = line.indexOf('[')
  if (open < 0) return undefined
  const rest = line.slice(open + 1)
  if (/^\s*\]/.test(rest)) {
    // dev = []
    lines[key] = `${line.slice(0, open + 1)}${quoted}${rest.trimStart()}`
  } else if (rest.trim() === '' || rest.trim().startsWith('#')) {
    // A list over several lines: a line of its own, indented as the next one.
    const indent = /^\s*/.exec(lines[key + 1] ?? '')?.[0] || '  '
    lines.splice(key + 1, 0, `${indent}${quoted},`)
  } else {
    lines[key] = `${line.slice(0, open + 1)}${quoted}, ${rest.trimStart()}`
  }
  return lines.join('\n')
}

/** Objects with their keys sorted, for comparing two parses. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted)
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted((value as Toml)[k])]),
    )
  }
  return value instanceof Date ? value.toISOString() : value
}
