export { button } from './button';
export { productCard } from './product-card';
