/** Ready tasks, highest priority first; equal priorities keep the order they were given in. */
export class ReadyQueue {
  private readonly heap: Array<{ id: string; priority: number; order: number }> = [];

  constructor(
    private readonly priority: (id: string) => number,
    private readonly order: (id: string) => number,
  ) {}

  get length(): number {
    return this.heap.length;
  }

  push(id: string): void {
    this.heap.push({ id, priority: this.priority(id), order: this.order(id) });
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): string | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (!top || !last || this.heap.length === 0) return top?.id;
    this.heap[0] = last;
    for (let i = 0; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < this.heap.length && this.before(left, best)) best = left;
      if (right < this.heap.length && this.before(right, best)) best = right;
      if (best === i) break;
      this.swap(i, best);
      i = best;
    }
    return top.id;
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a];
    const y = this.heap[b];
    if (!x || !y) return false;
    return x.priority !== y.priority ? x.priority > y.priority : x.order < y.order;
  }

  private swap(a: number, b: number): void {
    const x = this.heap[a];
    const y = this.heap[b];
    if (!x || !y) return;
    this.heap[a] = y;
    this.heap[b] = x;
  }
}
