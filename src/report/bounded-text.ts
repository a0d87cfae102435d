/**
 * Text held in memory up to a number of characters: past it, the first half of the bound and the
 * last half are kept, and what lies between is only counted.
 */
export class BoundedText {
  private readonly head: string[] = [];
  private headLength = 0;
  private readonly tail: string[] = [];
  private tailLength = 0;
  /** Characters dropped between the head and the tail. */
  dropped = 0;

  constructor(private readonly limit: number) {}

  append(text: string): void {
    const headLimit = Math.floor(this.limit / 2);
    if (this.headLength < headLimit) {
      const taken = text.slice(0, headLimit - this.headLength);
      this.head.push(taken);
      this.headLength += taken.length;
      text = text.slice(taken.length);
    }
    if (!text) return;
    this.tail.push(text);
    this.tailLength += text.length;
    const tailLimit = this.limit - headLimit;
    while (this.tailLength > tailLimit) {
      const first = this.tail[0] as string;
      const excess = this.tailLength - tailLimit;
      const cut = Math.min(excess, first.length);
      if (cut === first.length) this.tail.shift();
      else this.tail[0] = first.slice(cut);
      this.tailLength -= cut;
      this.dropped += cut;
    }
  }

  /** The text kept, with `gap(dropped)` where characters were dropped. */
  text(gap: (dropped: number) => string): string {
    return this.head.join('') + (this.dropped ? gap(this.dropped) : '') + this.tail.join('');
  }
}
