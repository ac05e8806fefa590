/** `run --list` and `run --list --json`. */
import type { TaskGraph, TaskNode } from '../plan/graph.js'
import { directDeps } from '../plan/graph.js'
import type { Colors } from '../report/colors.js'

export function listJson(graph: TaskGraph): string {
  const rows = graph.public.map((node) => ({
    name: node.name,
    description: node.description ?? '',
    deps: directDeps(node).map((d) => d.name),
  }))
  return `${JSON.stringify(rows, null, 2)}\n`
}

export function listText(graph: TaskGraph, file: string, c: Colors): string {
  if (graph.public.length === 0) return `${file} exports no tasks\n`
  const aliases = new Map<TaskNode, string[]>()
  for (const [alias, node] of graph.aliases) aliases.set(node, [...(aliases.get(node) ?? []), alias])
  const label = (node: TaskNode) => (aliases.has(node) ? `${node.name} (also ${aliases.get(node)!.join(', ')})` : node.name)
  const width = Math.max(...graph.public.map((n) => label(n).length))
  const lines = graph.public.map((node) => {
    const deps = [...new Set(directDeps(node).map((d) => d.name))]
    const detail = node.description ?? (deps.length > 0 ? c.dim(`runs ${deps.join(', ')}`) : '')
    return `  ${c.bold(label(node).padEnd(width))}  ${detail}`.trimEnd()
  })
  return `Tasks in ${file}:\n${lines.join('\n')}\n`
}
