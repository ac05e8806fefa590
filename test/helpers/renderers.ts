/**
 * The real renderers of the graph views: Graphviz's `dot` (Debian package graphviz) and Mermaid's own
 * flowchart parser (the mermaid package, under jsdom, which its sanitiser needs). The light
 * @mermaid-js/parser (2.0.1) has no flowchart grammar yet: flowcharts are parsed only inside mermaid.
 */
import { spawnSync } from 'node:child_process'

/** Runs `dot -T<format>` on the text; throws with dot's message when it fails or warns. */
export function dot(text: string, format: 'svg' | 'json'): string {
  const result = spawnSync('dot', [`-T${format}`], { input: text, encoding: 'utf8' })
  if (result.error) throw result.error
  if (result.status !== 0 || result.stderr.trim()) throw new Error(`dot failed (exit ${result.status}): ${result.stderr}`)
  return result.stdout
}

/** XML text with its entities decoded, as a person reads it in the picture. */
export function decodeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

export interface MermaidFlowchart {
  /** What Mermaid lays out: tasks, and groups (`isGroup`) that hold them (`parentId`). */
  nodes: Array<{ id: string; label: string; isGroup: boolean; parentId?: string; cssClasses: string }>
  edges: Array<{ start: string; end: string; pattern: string }>
}

type Mermaid = { parse(text: string): Promise<unknown>; getDiagramFromText(text: string): Promise<{ db: unknown }> }
let loaded: Promise<Mermaid> | undefined

/** Parses a flowchart with Mermaid's own parser into the nodes and edges it would draw; throws Mermaid's parse error. */
export async function parseMermaid(text: string): Promise<MermaidFlowchart> {
  loaded ??= (async () => {
    const { JSDOM } = await import('jsdom')
    const { window } = new JSDOM('')
    Object.assign(globalThis, { window, document: window.document })
    const { default: mermaid } = await import('mermaid')
    return { parse: (t: string) => mermaid.parse(t), getDiagramFromText: (t: string) => mermaid.mermaidAPI.getDiagramFromText(t) }
  })()
  const mermaid = await loaded
  await mermaid.parse(text)
  const { db } = (await mermaid.getDiagramFromText(text)) as { db: { getData(): MermaidFlowchart } }
  const data = db.getData()
  // Mermaid keeps entity codes (#34;) as placeholders until it draws; turn them back into characters.
  return { nodes: data.nodes.map((n) => ({ ...n, label: entities(n.label) })), edges: data.edges }
}

function entities(text: string): string {
  return decodeXml(text.replace(/ﬂ°°(\d+)¶ß/g, '&#$1;').replace(/ﬂ°(\w+)¶ß/g, '&$1;'))
}
