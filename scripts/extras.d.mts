export const EXTRAS: Record<string, { prefixes: string[]; except?: string[] }>
export function extraOf(file: string): string | undefined
export function modulesOf(root: string, name: string): string[]
