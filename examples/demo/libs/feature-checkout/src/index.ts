export { checkout } from './checkout';
export { validateAddress, type Address } from './address';
