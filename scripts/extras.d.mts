export const EXTRAS: Record<string, { prefixes: string[]; except?: string[] }>
export function extraOf(file: string): string | undefined
