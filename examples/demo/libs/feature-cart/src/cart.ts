import type { OrderLine } from '@demo/data-models';

export class Cart {
  private readonly quantities = new Map<string, number>();

  add(productId: string, quantity = 1): void {
    this.quantities.set(productId, (this.quantities.get(productId) ?? 0) + quantity);
  }

  remove(productId: string): void {
    this.quantities.delete(productId);
  }

  lines(): OrderLine[] {
    return [...this.quantities].map(([productId, quantity]) => ({ productId, quantity }));
  }
}
