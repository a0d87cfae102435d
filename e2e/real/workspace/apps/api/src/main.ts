import { models } from '@real/models';
import { rlib } from '@real/rlib';

console.log(`api: ${models()} ${rlib().length}`);
