export function plural(count: number, one: string, other: string): string {
  return `${count} ${count === 1 ? one : other}`;
}
