import { capitalize } from '@demo/util-strings';
import en from '../messages/en.json';

export type MessageKey = keyof typeof en;

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template: string = en[key];
  return capitalize(template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)));
}
