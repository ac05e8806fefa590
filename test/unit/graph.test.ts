import { describe, expect, it } from 'vitest'
import { parallel, task } from '../../src/api/task.js'
import { buildGraph, type TaskGraph } from '../../src/plan/graph.js'
import { plan } from '../../src/plan/plan.js'
import { graphModel, graphView } from '../../src/views/graph.js'
import { decodeXml, dot, parseMermaid } from '../helpers/renderers.js'

const ODD = 'say "hi" \\n #35; <b>x</b> end; %%'

/** The release pipeline of the SPEC, a private helper, and names that break naive escaping. */
function pipeline(): TaskGraph {
  const noop = () => {}
  const build = task({ description: 'Build the "package"', run: noop })
  const lint = task(noop)
  const test = task(noop)
  const clean = task(noop)
  const stamp = task({ name: 'stamp', run: noop }) // private: not exported
  const publishTest = task({ name: 'publish:test', deps: [build, stamp], run: noop })
  const publishProd = task({ name: 'publish:prod', deps: [build], run: noop })
  const releaseTest = task({ name: 'release:test', deps: [parallel(lint, test), clean, build, publishTest] })
  const releaseProd = task({ name: 'release:prod', deps: [releaseTest, publishProd] })
  const odd = task({ name: ODD, deps: [parallel(lint, test)], run: noop })
  return buildGraph({ build, lint, test, clean, publishTest, publishProd, releaseTest, releaseProd, odd })
}

const byName = (graph: TaskGraph, name: string) => `t${graph.byName.get(name)!.id}`

describe('graphModel', () => {
  it('draws needs edges, then edges between steps in the order written, and one group per parallel()', () => {
    const graph = pipeline()
    const model = graphModel([...graph.byName.values()])
    const key = (name: string) => byName(graph, name)
    const edges = (kind: string) => model.edges.filter((e) => e.kind === kind).map((e) => `${e.from}>${e.to}`)
    expect(model.groups).toEqual([
      { key: 'g0', owners: ['release:test', ODD], members: [key('lint'), key('test')], drawn: [key('lint'), key('test')] },
    ])
    expect(edges('needs')).toEqual(
      expect.arrayContaining([`${key('lint')}>${key('release:test')}`, `${key('build')}>${key('publish:test')}`]),
    )
    expect(edges('then')).toEqual([
      `${key('build')}>${key('stamp')}`,
      `g0>${key('clean')}`,
      `${key('clean')}>${key('build')}`,
      `${key('release:test')}>${key('publish:prod')}`,
    ])
    // build before publish:test is said by the needs edge already.
    expect(model.nodes.find((n) => n.name === 'stamp')?.isPrivate).toBe(true)
    expect(model.nodes.filter((n) => n.isPrivate)).toHaveLength(1)
  })

  it('draws a task in the first group that has it, and fans edges out for a group drawn in part', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => task({ name, run: () => {} }))
    const graph = buildGraph({ x: task({ deps: [parallel(a!, b!), d!] }), y: task({ deps: [parallel(b!, c!), d!] }) })
    const model = graphModel([...graph.byName.values()])
    const key = (name: string) => byName(graph, name)
    expect(model.groups.map((g) => g.drawn)).toEqual([[key('a'), key('b')], [key('c')]])
    const then = model.edges.filter((e) => e.kind === 'then').map((e) => `${e.from}>${e.to}`)
    expect(then).toEqual([`g0>${key('d')}`, `${key('b')}>${key('d')}`, `${key('c')}>${key('d')}`])
  })

  it("keeps a plan's tasks only, and marks its target", () => {
    const graph = pipeline()
    const model = graphModel(plan(graph, 'publish:test').order, graph.byName.get('publish:test'))
    expect(model.nodes.map((n) => n.name)).toEqual(['build', 'stamp', 'publish:test'])
    expect(model.nodes.filter((n) => n.isTarget).map((n) => n.name)).toEqual(['publish:test'])
    expect(model.groups).toEqual([])
  })
})

describe('graphView in dot, rendered by Graphviz', () => {
  const graph = pipeline()
  const sources = {
    'the whole file': graph,
    "release:prod's plan": plan(graph, 'release:prod'),
    "odd's plan": plan(graph, ODD),
  }

  for (const [what, source] of Object.entries(sources)) {
    it(`renders ${what} to SVG with every task's name as its text`, () => {
      const text = graphView(source, 'dot')
      const svg = dot(text, 'svg')
      const labels = [...svg.matchAll(/<g id="node\d+" class="node">[\s\S]*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => decodeXml(m[1]!))
      const expected = 'order' in source ? source.order.map((n) => n.name) : [...graph.byName.keys()]
      expect(labels.sort()).toEqual([...expected].sort())
    })
  }

  it('gives Graphviz a cluster per parallel group, dashed order edges and dashed private tasks', () => {
    const parsed = JSON.parse(dot(graphView(graph, 'dot'), 'json')) as {
      objects: Array<{ name: string; label?: string; style?: string; nodes?: number[]; _gvid: number }>
      edges: Array<{ tail: number; head: number; style?: string; ltail?: string }>
    }
    const name = (id: number) => parsed.objects.find((o) => o._gvid === id)?.label
    const cluster = parsed.objects.find((o) => o.name === 'cluster_g0')!
    expect(cluster.nodes!.map(name).sort()).toEqual(['lint', 'test'])
    const dashed = parsed.edges.filter((e) => e.style === 'dashed').map((e) => `${e.ltail ?? name(e.tail)}>${name(e.head)}`)
    expect(dashed).toContain('cluster_g0>clean')
    expect(dashed).toContain('clean>build')
    expect(dashed).not.toContain('build>publish:test')
    const svg = dot(graphView(graph, 'dot'), 'svg')
    const clusterText = svg.match(/<g id="clust\d+" class="cluster">[\s\S]*?<text[^>]*>([^<]*)<\/text>/)?.[1]
    expect(decodeXml(clusterText ?? '')).toBe(`parallel in release:test, ${ODD}`)
    expect(parsed.edges.filter((e) => !e.style).map((e) => `${name(e.tail)}>${name(e.head)}`)).toContain('build>publish:test')
    expect(parsed.objects.find((o) => o.label === 'stamp')?.style).toContain('dashed')
    expect(parsed.objects.find((o) => o.label === 'build')?.style).not.toContain('dashed')
  })
})

describe('graphView in Mermaid, read by Mermaid’s own parser', () => {
  it('holds every task under its exact name, a subgraph per group, and dotted order edges', async () => {
    const graph = pipeline()
    const chart = await parseMermaid(graphView(graph, 'mermaid'))
    const tasks = chart.nodes.filter((n) => !n.isGroup)
    expect(tasks.map((n) => n.label).sort()).toEqual([...graph.byName.keys()].sort())
    const label = (id: string) => chart.nodes.find((n) => n.id === id)?.label
    const groups = chart.nodes.filter((n) => n.isGroup)
    expect(groups.map((g) => [g.label, tasks.filter((t) => t.parentId === g.id).map((t) => t.label)])).toEqual([
      [`parallel in release:test, ${ODD}`, ['lint', 'test']],
    ])
    const edges = (pattern: string) => chart.edges.filter((e) => e.pattern === pattern).map((e) => `${label(e.start)}>${label(e.end)}`)
    expect(edges('dotted')).toEqual(
      expect.arrayContaining([`parallel in release:test, ${ODD}>clean`, 'clean>build', 'release:test>publish:prod']),
    )
    expect(edges('dotted')).not.toContain('build>publish:test')
    expect(edges('normal')).toEqual(expect.arrayContaining(['build>publish:test', 'lint>release:test', `test>${ODD}`]))
    expect(edges('dotted')).not.toContain('lint>release:test')
    expect(tasks.filter((n) => n.cssClasses.includes('private')).map((n) => n.label)).toEqual(['stamp'])
  })

  it('parses the plan of a single task, with no group and its target marked', async () => {
    const chart = await parseMermaid(graphView(plan(pipeline(), 'build'), 'mermaid'))
    expect(chart.nodes.map((n) => [n.label, n.isGroup, n.cssClasses.includes('target')])).toEqual([['build', false, true]])
  })
})
