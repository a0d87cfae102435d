/**
 * A task's output on a worker, on its way back to the coordinator in the job's result (which Redis
 * holds): kept whole up to a cap, beyond it the beginning and the end with a note between.
 */
const CAP_CHARS = 8 << 20;

export class JobOutput {
  private head = '';
  private tail = '';
  private dropped = 0;

  append(text: string): void {
    if (this.head.length < CAP_CHARS / 2) {
      const room = CAP_CHARS / 2 - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (!text) return;
    this.tail += text;
    if (this.tail.length > CAP_CHARS / 2) {
      const cut = this.tail.length - CAP_CHARS / 2;
      this.dropped += cut;
      this.tail = this.tail.slice(cut);
    }
  }

  text(): string {
    if (!this.dropped) return this.head + this.tail;
    return `${this.head}\n[nx-parallel] ${this.dropped} characters of output left out here.\n${this.tail}`;
  }
}
