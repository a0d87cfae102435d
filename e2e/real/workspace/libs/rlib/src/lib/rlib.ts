import { makeModel, type Model } from '@real/models';

export function rlib(): Model[] {
  return [makeModel(1), makeModel(2)];
}
