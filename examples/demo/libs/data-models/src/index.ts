export type { Product, Category } from './product';
export { createProduct } from './product';
export type { Order, OrderLine, OrderStatus } from './order';
export { estimateDelivery } from './order';
