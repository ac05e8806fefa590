/** The Node versions besides the running one (see nodes.mjs). */
export const NODE_VERSIONS: Record<string, string>
export const nodesDir: string
/** The node binary of `major` (22 or 24), installed from npm first when it is not there yet. */
export function nodeBinary(major: string | number, options?: { log?: (line: string) => void }): string
