import { sum } from '@demo/util-math';
import { button } from '@demo/ui-components';
import type { Cart } from './cart';

export function renderCartSummary(cart: Cart): string {
  const count = sum(cart.lines().map((line) => line.quantity));
  return `<aside>${count} items ${button({ label: 'Checkout', disabled: count === 0 })}</aside>`;
}
