import { truncate } from '@demo/util-strings';
import { button } from './button';

export interface ProductCardProps {
  readonly title: string;
  readonly href: string;
  readonly price: string;
}

export function productCard({ title, href, price }: ProductCardProps): string {
  return `<article><a href="${href}">${truncate(title, 40)}</a><p>${price}</p>${button({ label: 'Add to cart' })}</article>`;
}
