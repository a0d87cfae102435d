/** The captured output of one task, in the order it was written. */
export class TaskOutput {
  private readonly chunks: string[] = [];

  append(text: string): void {
    this.chunks.push(text);
  }

  text(): string {
    return this.chunks.join('');
  }

  /** The last `count` lines, for summaries. */
  tail(count: number): string[] {
    const lines = this.text().trimEnd().split('\n');
    return lines.slice(-count);
  }
}
