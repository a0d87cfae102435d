export { slugify } from './slugify';
export { truncate, capitalize } from './format';
