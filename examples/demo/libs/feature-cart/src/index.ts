export { Cart } from './cart';
export { renderCartSummary } from './cart-summary';
