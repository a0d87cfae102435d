import { util } from '@real/util';

console.log(`cli: ${util()}`);
