/**
 * A reader for macaroons as pymacaroons serializes them (its binary
 * formats, V1 and V2, in URL-safe base64): PyPI's API tokens are
 * `pypi-` and such a macaroon, whose location names the site that made it
 * (`pypi.org`, `test.pypi.org`) and whose first-party caveats say what it
 * may do. Nothing here checks a signature: only the site can.
 */

export interface Macaroon {
  location: string
  identifier: string
  /** The first-party caveats' identifiers, as text. */
  caveats: string[]
}

/** Reads a serialized macaroon; undefined when the text is not one (cut short, another format, not base64). */
export function readMacaroon(serialized: string): Macaroon | undefined {
  if (!/^[A-Za-z0-9_\-+/]+={0,2}$/.test(serialized)) return undefined
  const bytes = Buffer.from(serialized, 'base64url')
  try {
    if (bytes[0] === 2) return readV2(bytes)
    if (bytes.length > 0 && /[0-9a-f]/.test(String.fromCharCode(bytes[0]!))) return readV1(bytes)
  } catch {
    // A field past the end, a bad length: not a macaroon.
  }
  return undefined
}

const text = (data: Uint8Array) => Buffer.from(data).toString('utf8')

/** V1: packets of `LLLLkey value\n`, LLLL the packet's length in hex, the 4 digits included. */
function readV1(bytes: Buffer): Macaroon | undefined {
  const fields: [string, string][] = []
  for (let at = 0; at < bytes.length; ) {
    const length = Number.parseInt(bytes.subarray(at, at + 4).toString('ascii'), 16)
    if (!Number.isInteger(length) || length < 6 || at + length > bytes.length) return undefined
    const packet = bytes.subarray(at + 4, at + length)
    const space = packet.indexOf(0x20)
    if (space < 0 || packet[packet.length - 1] !== 0x0a) return undefined
    fields.push([packet.subarray(0, space).toString('ascii'), text(packet.subarray(space + 1, packet.length - 1))])
    at += length
  }
  const location = fields.find(([k]) => k === 'location')?.[1]
  const identifier = fields.find(([k]) => k === 'identifier')?.[1]
  if (location === undefined || identifier === undefined || !fields.some(([k]) => k === 'signature')) return undefined
  return { location, identifier, caveats: fields.filter(([k]) => k === 'cid').map(([, v]) => v) }
}

const LOCATION = 1
const IDENTIFIER = 2
const SIGNATURE = 6

/** V2: a version byte (2), then sections of `type length data` packets (varints), each ended by a 0. */
function readV2(bytes: Buffer): Macaroon | undefined {
  const reader = { bytes, at: 1 }
  const header = section(reader)
  const location = header.find((p) => p.type === LOCATION)
  const identifier = header.find((p) => p.type === IDENTIFIER)
  if (identifier === undefined) return undefined
  const caveats: string[] = []
  for (;;) {
    const caveat = section(reader)
    if (caveat.length === 0) break
    const id = caveat.find((p) => p.type === IDENTIFIER)
    if (id === undefined) return undefined
    // A third-party caveat (with a location and a verification key) is not a first-party one.
    if (caveat.length === 1) caveats.push(text(id.data))
  }
  const signature = packet(reader)
  if (signature?.type !== SIGNATURE) return undefined
  return { location: location ? text(location.data) : '', identifier: text(identifier.data), caveats }
}

interface Packet {
  type: number
  data: Uint8Array
}

function section(reader: { bytes: Buffer; at: number }): Packet[] {
  const packets: Packet[] = []
  for (;;) {
    const p = packet(reader)
    if (p === undefined) throw new Error('section past the end')
    if (p.type === 0) return packets
    packets.push(p)
  }
}

function packet(reader: { bytes: Buffer; at: number }): Packet | undefined {
  if (reader.at >= reader.bytes.length) return undefined
  const type = varint(reader)
  if (type === 0) return { type, data: new Uint8Array() }
  const length = varint(reader)
  if (reader.at + length > reader.bytes.length) throw new Error('field past the end')
  const data = reader.bytes.subarray(reader.at, reader.at + length)
  reader.at += length
  return { type, data }
}

function varint(reader: { bytes: Buffer; at: number }): number {
  let value = 0
  for (let shift = 0; shift < 35; shift += 7) {
    const byte = reader.bytes[reader.at++]
    if (byte === undefined) throw new Error('varint past the end')
    value += (byte & 0x7f) * 2 ** shift
    if ((byte & 0x80) === 0) return value
  }
  throw new Error('varint too long')
}
