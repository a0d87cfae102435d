import { cssVar } from '@demo/ui-theme';

export interface ButtonProps {
  readonly label: string;
  readonly disabled?: boolean;
}

export function button({ label, disabled = false }: ButtonProps): string {
  const style = `background:${cssVar('color-primary')};border-radius:${cssVar('radius')}`;
  return `<button style="${style}"${disabled ? ' disabled' : ''}>${label}</button>`;
}
