/**
 * A TCP proxy in front of a server (127.0.0.1, a free port) that can cut an upload short: armed, it
 * forwards the next large request until half its body went through, then drops both connections, as a
 * Ctrl-C or a lost network does mid-upload. Everything else passes untouched.
 */
import { connect, createServer, type Socket } from 'node:net'

export interface CutProxy {
  /** `http://127.0.0.1:PORT/` */
  url: string
  /** Cut the next request whose body is at least `minBytes` long; resolves once it has been cut. */
  arm(minBytes?: number): Promise<{ bodyBytes: number; sent: number }>
  stop(): Promise<void>
}

export async function startCutProxy(targetPort: number): Promise<CutProxy> {
  let armed: { minBytes: number; done: (cut: { bodyBytes: number; sent: number }) => void } | undefined
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    sockets.add(client).add(upstream)
    const drop = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('close', () => sockets.delete(client))
    upstream.on('close', () => sockets.delete(upstream))
    client.on('error', drop)
    upstream.on('error', drop)
    upstream.on('close', () => client.destroy())
    upstream.on('data', (d) => client.write(d))
    // The first request of the connection: its head, then its body counted.
    let head = Buffer.alloc(0)
    let plan: { cutAt: number; bodyBytes: number } | null | undefined
    let bodySeen = 0
    client.on('data', (chunk: Buffer) => {
      if (plan === null) return void upstream.write(chunk)
      if (plan === undefined) {
        head = Buffer.concat([head, chunk])
        const end = head.indexOf('\r\n\r\n')
        if (end < 0) return
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head.subarray(0, end).toString('latin1'))?.[1] ?? 0)
        plan = armed && length >= armed.minBytes ? { cutAt: Math.floor(length / 2), bodyBytes: length } : null
        chunk = head
        if (plan === null) return void upstream.write(chunk)
        upstream.write(chunk.subarray(0, end + 4))
        chunk = chunk.subarray(end + 4)
      }
      const room = plan.cutAt - bodySeen
      if (chunk.length < room) {
        bodySeen += chunk.length
        return void upstream.write(chunk)
      }
      const cut = { bodyBytes: plan.bodyBytes, sent: plan.cutAt }
      const done = armed!.done
      armed = undefined
      plan = null
      client.pause()
      upstream.write(chunk.subarray(0, room), () => {
        drop()
        done(cut)
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  return {
    url: `http://127.0.0.1:${port}/`,
    arm: (minBytes = 64 * 1024) =>
      new Promise((resolve) => {
        armed = { minBytes, done: resolve }
      }),
    stop: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
