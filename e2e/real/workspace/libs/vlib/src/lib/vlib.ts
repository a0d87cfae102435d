import { util } from '@real/util';

export function vlib(): string {
  return `vlib(${util()})`;
}
