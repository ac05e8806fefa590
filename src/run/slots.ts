/** A counting semaphore: at most `size` tasks run at once; an interactive task takes them all. */
export class Slots {
  private free: number
  private readonly waiting: Array<{ count: number; resume: () => void }> = []

  constructor(readonly size: number) {
    this.free = size
  }

  /** Wait for `count` slots, first come first served. */
  async acquire(count = 1): Promise<void> {
    const wanted = Math.min(count, this.size)
    if (this.waiting.length === 0 && this.free >= wanted) {
      this.free -= wanted
      return
    }
    await new Promise<void>((resume) => this.waiting.push({ count: wanted, resume }))
  }

  release(count = 1): void {
    this.free += Math.min(count, this.size)
    while (this.waiting.length > 0 && this.free >= this.waiting[0]!.count) {
      const next = this.waiting.shift()!
      this.free -= next.count
      next.resume()
    }
  }
}
