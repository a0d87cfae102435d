export { ProductClient } from './product-client';
export { priceOrder } from './pricing';
