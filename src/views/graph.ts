/**
 * `run --graph [TASK]`: the task graph as a picture, in Graphviz dot or Mermaid. This file builds one
 * model both languages write out (graph-dot.ts, graph-mermaid.ts):
 *   needs edges  a dependency to the task that needs it (solid)
 *   then edges   deps run in the order written: one step to the next (dashed)
 *   groups       each parallel() group, drawn as a cluster (Graphviz) or a subgraph (Mermaid)
 * Pure: no I/O.
 */
import type { Step, TaskGraph, TaskNode } from '../plan/graph.js'
import type { Plan } from '../plan/plan.js'
import { toDot } from './graph-dot.js'
import { toMermaid } from './graph-mermaid.js'

export const GRAPH_FORMATS = ['dot', 'mermaid'] as const
export type GraphFormat = (typeof GRAPH_FORMATS)[number]

export interface GraphNode {
  /** An identifier safe in both languages (`t12`); the name goes in the label. */
  key: string
  name: string
  description?: string
  isPrivate: boolean
  /** The task a plan was made for. */
  isTarget: boolean
}

export interface GraphGroup {
  key: string
  /** The tasks whose deps hold this group: a group runs together only within them. */
  owners: string[]
  /** Every member of the parallel() group. */
  members: string[]
  /** The members drawn inside it: a task is drawn in one group only, the first that has it. */
  drawn: string[]
}

export interface GraphEdge {
  kind: 'needs' | 'then'
  /** A node's key, or a group's key when the edge leaves or enters a whole group. */
  from: string
  to: string
}

export interface GraphModel {
  nodes: GraphNode[]
  groups: GraphGroup[]
  edges: GraphEdge[]
}

/** The picture of a plan (its tasks only) or of the whole tasks file, in dot or Mermaid. */
export function graphView(source: TaskGraph | Plan, format: GraphFormat): string {
  const model = 'order' in source ? graphModel(source.order, source.target) : graphModel([...source.byName.values()])
  return format === 'dot' ? toDot(model) : toMermaid(model)
}

/** Nodes, parallel groups and edges among these tasks; deps outside them are left out. */
export function graphModel(tasks: readonly TaskNode[], target?: TaskNode): GraphModel {
  const included = new Set(tasks)
  const key = (node: TaskNode) => `t${node.id}`
  const nodes = tasks.map((n) => ({ key: key(n), name: n.name, description: n.description, isPrivate: !n.public, isTarget: n === target }))
  const groups: GraphGroup[] = []
  const groupBySet = new Map<string, GraphGroup>()
  const drawnIn = new Map<string, GraphGroup>()
  const edges = new Map<string, GraphEdge>()
  const addEdge = (kind: GraphEdge['kind'], from: string, to: string) => {
    if (from !== to) edges.set(`${kind} ${from} ${to}`, { kind, from, to })
  }

  /** Where edges to and from a step attach: its task, its group, or (a group drawn in part) each member. */
  const ends = (step: Step, owner: TaskNode): string[] => {
    const members = [
      ...new Set(
        flatten(step)
          .filter((n) => included.has(n))
          .map(key),
      ),
    ]
    if (step.kind === 'task' || members.length < 2) return members
    const id = [...members].sort().join(' ')
    let group = groupBySet.get(id)
    if (!group) {
      group = { key: `g${groups.length}`, owners: [], members, drawn: members.filter((m) => !drawnIn.has(m)) }
      for (const m of group.drawn) drawnIn.set(m, group)
      groups.push(group)
      groupBySet.set(id, group)
    }
    if (!group.owners.includes(owner.name)) group.owners.push(owner.name)
    return group.drawn.length === members.length ? [group.key] : members
  }
  const inside = (end: string, other: string) => groups.some((g) => g.key === end && g.members.includes(other))

  for (const owner of tasks) {
    let previous: string[] = []
    for (const step of owner.deps) {
      const current = ends(step, owner)
      for (const dep of flatten(step)) if (included.has(dep)) addEdge('needs', key(dep), key(owner))
      for (const from of previous) for (const to of current) if (!inside(from, to) && !inside(to, from)) addEdge('then', from, to)
      if (current.length > 0) previous = current
    }
  }
  // A then edge beside a needs edge between the same two tasks says nothing more.
  const said = [...edges.values()].filter((e) => e.kind === 'then' && !edges.has(`needs ${e.from} ${e.to}`))
  return {
    nodes,
    groups: groups.filter((g) => g.drawn.length > 0),
    edges: [...edges.values()].filter((e) => e.kind === 'needs').concat(said),
  }
}

function flatten(step: Step): TaskNode[] {
  return step.kind === 'task' ? [step.task] : step.members.flatMap(flatten)
}
