export interface Address {
  readonly name: string;
  readonly street: string;
  readonly postcode: string;
  readonly country: string;
}

export function validateAddress(address: Address): string[] {
  const problems: string[] = [];
  if (address.name.trim() === '') problems.push('name is required');
  if (address.street.trim() === '') problems.push('street is required');
  if (!/^[A-Z0-9 -]{3,10}$/i.test(address.postcode)) problems.push('postcode looks wrong');
  return problems;
}
