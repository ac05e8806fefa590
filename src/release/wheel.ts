/**
 * The modules a wheel installs at the top level, read from the wheel itself:
 * its `top_level.txt` when the backend wrote one (setuptools does), else the
 * paths it holds (hatchling, flit, poetry, maturin write none). A
 * distribution's name says nothing reliable about them: `pycounts-trial`
 * may install `pycounts`.
 */
import { execFile } from 'node:child_process'

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The top-level modules of a wheel, from its file paths and its top_level.txt (pure; sorted). */
export function topLevelModules(paths: readonly string[], topLevelTxt?: string): string[] {
  const declared = (topLevelTxt ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim().split('/')[0]!)
    .filter((name) => IDENTIFIER.test(name))
  if (declared.length > 0) return [...new Set(declared)].sort()
  const modules = new Set<string>()
  for (const entry of paths) {
    const [first, ...rest] = entry.split('/')
    if (!first) continue
    if (rest.length === 0) {
      // A module file at the top: `six.py`, `_speedups.cpython-312-x86_64-linux-gnu.so`, `x.pyd`.
      const m = /^([^.]+)\.(?:py|so|pyd|[^/]*\.(?:so|pyd))$/.exec(first)
      if (m && IDENTIFIER.test(m[1]!)) modules.add(m[1]!)
      continue
    }
    // A folder: a package (or a namespace package) when it holds Python code; never the metadata.
    if (first.endsWith('.dist-info') || first.endsWith('.data') || first === '__pycache__') continue
    if (IDENTIFIER.test(first) && /\.(?:py|so|pyd)$/.test(entry)) modules.add(first)
  }
  return [...modules].sort()
}

// Python's own zipfile reads the wheel: the names it holds, and its *.dist-info/top_level.txt.
const READ_WHEEL = `import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    names = z.namelist()
    top = [n for n in names if n.count('/') == 1 and n.split('/')[0].endswith('.dist-info') and n.endswith('/top_level.txt')]
    text = z.read(top[0]).decode('utf-8', 'replace') if top else None
print(json.dumps({"names": names, "top_level": text}))`

/** The top-level modules of the wheel at `wheel`, read with `python`'s zipfile. */
export function wheelModules(python: string, wheel: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(python, ['-I', '-c', READ_WHEEL, wheel], { maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`could not read the wheel ${wheel} with ${python}: ${stderr.trim() || error.message}`))
      try {
        const { names, top_level } = JSON.parse(stdout) as { names: string[]; top_level: string | null }
        resolve(topLevelModules(names, top_level ?? undefined))
      } catch (e) {
        reject(new Error(`could not read the wheel ${wheel}: ${(e as Error).message}`))
      }
    })
  })
}
