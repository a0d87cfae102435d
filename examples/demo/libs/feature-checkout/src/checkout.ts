import type { Order } from '@demo/data-models';
import { estimateDelivery } from '@demo/data-models';
import type { Cart } from '@demo/feature-cart';
import { t } from '@demo/i18n';
import { formatDate } from '@demo/util-dates';

export function checkout(cart: Cart, orderId: string, now = new Date()): { order: Order; message: string } {
  const order: Order = { id: orderId, lines: cart.lines(), status: 'placed', placedAt: now };
  const delivery = estimateDelivery(order);
  return { order, message: delivery ? t('checkout.delivery', { date: formatDate(delivery) }) : '' };
}
