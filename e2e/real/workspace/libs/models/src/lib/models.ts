import { add, util } from '@real/util';

export interface Model {
  id: number;
  label: string;
}

export function models(): string {
  return `models(${util()})`;
}

export function makeModel(id: number): Model {
  return { id: add(id, 0), label: `model-${id}` };
}
