import { slugify } from '@demo/util-strings';

export type Category = 'kitchen' | 'garden' | 'office';

export interface Product {
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly category: Category;
  readonly priceCents: number;
}

export function createProduct(id: string, title: string, category: Category, priceCents: number): Product {
  return { id, slug: slugify(title), title, category, priceCents };
}
