export function util(): string {
  return 'util';
}

export function add(a: number, b: number): number {
  return a + b;
}
