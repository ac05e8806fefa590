/**
 * Cuts a stream of text into whole lines, in time linear in its length: a
 * partial line is kept as pieces and joined once, when it ends. A partial
 * line that grows past `max` characters is given out as a line of its own,
 * so one endless line neither waits forever nor grows without bound.
 */
export const MAX_LINE = 64 * 1024

export class Lines {
  private pieces: string[] = []
  private size = 0

  constructor(private readonly max = MAX_LINE) {}

  /** Is part of a line waiting for its end? */
  get pending(): boolean {
    return this.size > 0
  }

  /** Feed text; returns the lines it completed, without their '\n'. */
  push(text: string): string[] {
    const end = text.lastIndexOf('\n')
    if (end < 0) {
      if (text) {
        this.pieces.push(text)
        this.size += text.length
      }
      return this.size >= this.max ? [this.rest()] : []
    }
    this.pieces.push(text.slice(0, end))
    const lines = this.pieces.join('').split('\n')
    const after = text.slice(end + 1)
    this.pieces = after ? [after] : []
    this.size = after.length
    return lines
  }

  /** The partial line (possibly empty), given out now. */
  rest(): string {
    const rest = this.pieces.join('')
    this.pieces = []
    this.size = 0
    return rest
  }
}
