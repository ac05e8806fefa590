/** `run --list` and `run --list --json`. */
import type { TaskGraph } from '../plan/graph.js'
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
  const width = Math.max(...graph.public.map((n) => n.name.length))
  const lines = graph.public.map((node) => {
    const deps = directDeps(node)
    const detail = node.description ?? (deps.length > 0 ? c.dim(`runs ${deps.map((d) => d.name).join(', ')}`) : '')
    return `  ${c.bold(node.name.padEnd(width))}  ${detail}`.trimEnd()
  })
  return `Tasks in ${file}:\n${lines.join('\n')}\n`
}
