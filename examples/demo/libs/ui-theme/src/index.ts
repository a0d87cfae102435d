import tokens from '../tokens.json';

export type ThemeToken = keyof typeof tokens;

export function cssVar(token: ThemeToken): string {
  return `var(--${token})`;
}
