export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
