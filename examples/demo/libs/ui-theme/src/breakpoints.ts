export const breakpoints = { mobile: 480, tablet: 768, desktop: 1200 } as const;

export function mediaQuery(name: keyof typeof breakpoints): string {
  return `@media (min-width: ${breakpoints[name]}px)`;
}
