/**
 * `run --graph` through the built CLI: this repository's own tasks file and a made-up one with parallel
 * groups and private tasks, drawn by Graphviz's `dot` (any warning fails) and read by Mermaid's parser.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { Project, type Result, repo, runProcess } from '../helpers/project.js'
import { decodeXml, dot, parseMermaid } from '../helpers/renderers.js'

/** Runs the CLI; fails with its stderr unless it exits 0 with nothing on stderr. */
function ok(r: Result): string {
  if (r.code !== 0 || r.stderr !== '') throw new Error(`exit ${r.code}: ${r.stderr}`)
  return r.stdout
}

const inRepo = async (...args: string[]) => ok(await runProcess(process.execPath, ['dist/cli.js', ...args], { cwd: repo }))

interface DotJson {
  objects: Array<{ name: string; label?: string; style?: string; peripheries?: string; nodes?: number[]; _gvid: number }>
  edges?: Array<{ tail: number; head: number; style?: string; ltail?: string; lhead?: string }>
}

/** The picture as Graphviz lays it out: task labels, clusters with their tasks, solid and dashed edges. */
function layout(text: string) {
  const json = JSON.parse(dot(text, 'json')) as DotJson
  const name = (id: number) => json.objects.find((o) => o._gvid === id)!.label!
  const tasks = json.objects.filter((o) => !o.name.startsWith('cluster_'))
  const clusters = json.objects.filter((o) => o.name.startsWith('cluster_'))
  const clusterLabel = (key?: string) => (key ? clusters.find((c) => c.name === key)?.label : undefined)
  const edge = (e: NonNullable<DotJson['edges']>[number]) =>
    `${clusterLabel(e.ltail) ?? name(e.tail)}>${clusterLabel(e.lhead) ?? name(e.head)}`
  return {
    tasks: tasks.map((o) => o.label!).sort(),
    byLabel: (label: string) => tasks.find((o) => o.label === label)!,
    clusters: clusters.map((c) => [c.label, (c.nodes ?? []).map(name).sort()]),
    needs: (json.edges ?? []).filter((e) => !e.style).map(edge),
    order: (json.edges ?? []).filter((e) => e.style === 'dashed').map(edge),
  }
}

/** Every task name written in the SVG, as a person reads it. */
const svgTasks = (svg: string) =>
  [...svg.matchAll(/<g id="node\d+" class="node">[\s\S]*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => decodeXml(m[1]!)).sort()

/** What an SVG of the graph shows, whatever Graphviz's version: the tasks, and each arrow by names and style. */
function svgDrawing(svg: string): { tasks: string[]; arrows: string[] } {
  const label = new Map<string, string>()
  for (const m of svg.matchAll(/<g id="node\d+" class="node">\s*<title>([^<]*)<\/title>[\s\S]*?<text[^>]*>([^<]*)<\/text>/g)) {
    label.set(decodeXml(m[1]!), decodeXml(m[2]!))
  }
  const arrows = [...svg.matchAll(/<g id="edge\d+" class="edge">\s*<title>([^<]*)<\/title>[\s\S]*?<path([^>]*)>/g)].map((m) => {
    const [from, to] = decodeXml(m[1]!).split('->')
    return `${label.get(from!)} ${/stroke-dasharray/.test(m[2]!) ? '-.->' : '-->'} ${label.get(to!)}`
  })
  return { tasks: [...label.values()].sort(), arrows: arrows.sort() }
}

describe("this repository's own release pipeline", () => {
  it('draws release:prod with its steps in order and publish:test before release:test ends', async () => {
    const text = await inRepo('--graph', 'release:prod')
    const svg = dot(text, 'svg')
    const steps = ['build', 'clean', 'lint', 'publish:github', 'publish:prod', 'publish:test', 'release:prod', 'release:test', 'typecheck']
    expect(svgTasks(svg)).toEqual(steps)
    const picture = layout(text)
    expect(picture.order).toEqual(
      expect.arrayContaining([
        'lint>typecheck',
        'typecheck>clean',
        'clean>build',
        'release:test>publish:prod',
        'publish:prod>publish:github',
      ]),
    )
    expect(picture.needs).toEqual(expect.arrayContaining(['build>publish:test', 'publish:test>release:test', 'release:test>release:prod']))
    expect(picture.byLabel('release:prod').peripheries).toBe('2')
  })

  it("is the picture in the README (docs/release-pipeline.svg): the same tasks and arrows as today's tasks file", async () => {
    const committed = readFileSync(path.join(repo, 'docs/release-pipeline.svg'), 'utf8')
    const fresh = dot(await inRepo('--graph', 'release:prod'), 'svg')
    expect(svgDrawing(committed)).toEqual(svgDrawing(fresh))
    expect(svgDrawing(committed).arrows).toEqual(expect.arrayContaining(['build --> publish:test', 'clean -.-> build']))
  })

  it('draws the whole file, with the parallel lint, typecheck and test:tools of check in one box', async () => {
    const text = await inRepo('--graph')
    const list = JSON.parse(await inRepo('--list', '--json')) as Array<{ name: string }>
    // Every public task, and the private test:tools (the Debian packages the tests need).
    expect(svgTasks(dot(text, 'svg'))).toEqual([...list.map((t) => t.name), 'test:tools'].sort())
    expect(layout(text).clusters).toEqual([['parallel in check', ['lint', 'test:tools', 'typecheck']]])
    expect(layout(text).order).toContain('parallel in check>test')
  })

  it('writes the same graph in Mermaid, as Mermaid reads it', async () => {
    const chart = await parseMermaid(await inRepo('--graph', '--format', 'mermaid'))
    const tasks = chart.nodes.filter((n) => !n.isGroup)
    const group = chart.nodes.find((n) => n.isGroup)!
    expect(group.label).toBe('parallel in check')
    expect(tasks.filter((t) => t.parentId === group.id).map((t) => t.label)).toEqual(['lint', 'typecheck', 'test:tools'])
    const label = (id: string) => chart.nodes.find((n) => n.id === id)!.label
    const edges = (pattern: string) => chart.edges.filter((e) => e.pattern === pattern).map((e) => `${label(e.start)}>${label(e.end)}`)
    expect(edges('dotted')).toEqual(expect.arrayContaining(['parallel in check>test', 'clean>build']))
    expect(edges('normal')).toEqual(expect.arrayContaining(['build>publish:test', 'test>check']))
  })
})

const TASKS = `import { parallel, task } from 'runts'
const noop = () => {}
const stamp = task({ name: 'stamp', run: noop })
const schema = task({ name: 'gen:schema', description: 'Generate the "schema" <v2>', run: noop })
export const lint = task(noop)
export const unit = task({ deps: [schema], run: noop })
export const e2e = task(noop)
export const build = task({ deps: [stamp], run: noop })
export const check = task({ deps: [parallel(lint, parallel(unit, e2e)), build] })
export const ship = task({ deps: [check, parallel(build, stamp)], run: noop })
`

describe('a tasks file with parallel groups and private tasks', () => {
  const project = new Project({ 'tasks.config.ts': TASKS })

  it('draws each group as a box, order dashed, private tasks dashed, in dot that renders without a warning', async () => {
    const text = ok(await project.run(['--graph']))
    expect(svgTasks(dot(text, 'svg'))).toEqual(['build', 'check', 'e2e', 'gen:schema', 'lint', 'ship', 'stamp', 'unit'])
    const picture = layout(text)
    expect(picture.clusters).toEqual(
      expect.arrayContaining([
        ['parallel in check', ['e2e', 'lint', 'unit']],
        ['parallel in ship', ['build', 'stamp']],
      ]),
    )
    expect(picture.order).toEqual(expect.arrayContaining(['parallel in check>build', 'check>parallel in ship']))
    for (const name of ['stamp', 'gen:schema']) expect(picture.byLabel(name).style).toContain('dashed')
    expect(picture.byLabel('build').style).not.toContain('dashed')
  })

  it("draws a task's plan only, with the task asked for marked", async () => {
    const text = ok(await project.run(['--graph', 'unit']))
    const picture = layout(text)
    expect(picture.tasks).toEqual(['gen:schema', 'unit'])
    expect(picture.needs).toEqual(['gen:schema>unit'])
    expect(picture.byLabel('unit').peripheries).toBe('2')
  })

  it('writes Mermaid that Mermaid parses into the same tasks, groups and edges', async () => {
    const chart = await parseMermaid(ok(await project.run(['--graph', '--format', 'mermaid'])))
    const tasks = chart.nodes.filter((n) => !n.isGroup)
    expect(tasks.map((t) => t.label).sort()).toEqual(['build', 'check', 'e2e', 'gen:schema', 'lint', 'ship', 'stamp', 'unit'])
    const groups = chart.nodes.filter((n) => n.isGroup)
    const members = groups.map((g) => [
      g.label,
      tasks
        .filter((t) => t.parentId === g.id)
        .map((t) => t.label)
        .sort(),
    ])
    expect(members).toEqual(
      expect.arrayContaining([
        ['parallel in check', ['e2e', 'lint', 'unit']],
        ['parallel in ship', ['build', 'stamp']],
      ]),
    )
    const privates = tasks.filter((t) => t.cssClasses.includes('private')).map((t) => t.label)
    expect(privates.sort()).toEqual(['gen:schema', 'stamp'])
  })

  it('refuses --format without --graph, and a format it does not know, as usage errors', async () => {
    for (const args of [
      ['--format', 'mermaid'],
      ['--format', 'dot', 'check'],
      ['--graph', '--format', 'png'],
    ]) {
      const r = await project.run(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(/--format/)
    }
  })
})
