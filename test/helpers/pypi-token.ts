/**
 * Real-format PyPI API tokens for tests: `pypi-` and a macaroon serialized by pymacaroons (from the
 * Python test env), as warehouse makes them: its location the site (`pypi.org`, `test.pypi.org`), a
 * random identifier and key, and first-party caveats as JSON. No site knows their keys: they only
 * have the form of real tokens.
 */
import { exec, pythonEnv } from './python.js'

export interface TokenSpec {
  location: string
  /** Caveats, each serialized as JSON (warehouse: `[0, expires, not_before]`, `[1, ["project"]]`). */
  caveats?: unknown[]
  /** pymacaroons' binary format; 2, as warehouse uses. */
  version?: 1 | 2
}

const MAKE = `import json, os, sys, uuid, pymacaroons
spec = json.loads(sys.argv[1])
m = pymacaroons.Macaroon(location=spec["location"], identifier=str(uuid.uuid4()), key=os.urandom(32).hex(),
                         version=pymacaroons.MACAROON_V2 if spec.get("version", 2) == 2 else pymacaroons.MACAROON_V1)
for caveat in spec.get("caveats", []):
    m.add_first_party_caveat(json.dumps(caveat))
print("pypi-" + m.serialize())`

export async function makePypiToken(spec: TokenSpec): Promise<string> {
  const { python } = await pythonEnv()
  return (await exec(python, ['-c', MAKE, JSON.stringify(spec)])).stdout.trim()
}
