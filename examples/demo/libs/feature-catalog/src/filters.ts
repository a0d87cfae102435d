import type { Category, Product } from '@demo/data-models';

export function filterByCategory(products: readonly Product[], category?: Category): Product[] {
  return category ? products.filter((p) => p.category === category) : [...products];
}
