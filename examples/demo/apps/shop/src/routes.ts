import { createProduct } from '@demo/data-models';
import { Cart, renderCartSummary } from '@demo/feature-cart';
import { renderCatalog } from '@demo/feature-catalog';
import { checkout } from '@demo/feature-checkout';

const products = [
  createProduct('p1', 'Blue Enamel Mug', 'kitchen', 1250),
  createProduct('p2', 'Oak Desk Organiser', 'office', 3400),
];
const cart = new Cart();

export function route(method: string, url: string): { status: number; body: string } {
  if (method === 'GET' && url === '/') return { status: 200, body: renderCatalog(products) };
  if (method === 'GET' && url === '/cart') return { status: 200, body: renderCartSummary(cart) };
  if (method === 'POST' && url === '/checkout') return { status: 201, body: checkout(cart, `o-${Date.now()}`).message };
  return { status: 404, body: 'Not found' };
}
