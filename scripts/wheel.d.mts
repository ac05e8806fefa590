/** runts for PyPI (see wheel.mjs). */
export function stage(dir: string, tarball: string): string
/** Build the wheel and the sdist of `tarball` into `out`; resolves to their paths (wheel first). */
export function buildWheel(options?: { tarball?: string; out?: string; stageDir?: string }): Promise<[string, string]>
