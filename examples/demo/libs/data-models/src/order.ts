import { nextBusinessDay } from '@demo/util-dates';

export type OrderStatus = 'draft' | 'placed' | 'shipped' | 'delivered';

export interface OrderLine {
  readonly productId: string;
  readonly quantity: number;
}

export interface Order {
  readonly id: string;
  readonly lines: readonly OrderLine[];
  readonly status: OrderStatus;
  readonly placedAt?: Date;
}

export function estimateDelivery(order: Order): Date | undefined {
  return order.placedAt ? nextBusinessDay(nextBusinessDay(order.placedAt)) : undefined;
}
