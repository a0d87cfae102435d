/** Amounts are kept in minor units (cents) so that sums never drift. */
export interface Money {
  readonly cents: number;
  readonly currency: string;
}

export function money(amount: number, currency = 'EUR'): Money {
  return { cents: Math.round(amount * 100), currency };
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new Error(`Cannot add ${a.currency} to ${b.currency}`);
  return { cents: a.cents + b.cents, currency: a.currency };
}

export function multiplyMoney(price: Money, quantity: number): Money {
  return { cents: price.cents * quantity, currency: price.currency };
}
