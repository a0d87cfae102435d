import type { Order, Product } from '@demo/data-models';
import { sum } from '@demo/util-math';

export function priceOrder(order: Order, catalog: ReadonlyMap<string, Product>): number {
  return sum(
    order.lines.map((line) => {
      const product = catalog.get(line.productId);
      if (!product) throw new Error(`Unknown product ${line.productId} in order ${order.id}`);
      return product.priceCents * line.quantity;
    }),
  );
}
