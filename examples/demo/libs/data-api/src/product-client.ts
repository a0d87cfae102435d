import type { Category, Product } from '@demo/data-models';

export class ProductClient {
  constructor(private readonly baseUrl: string) {}

  async list(category?: Category): Promise<Product[]> {
    const query = category ? `?category=${encodeURIComponent(category)}` : '';
    const response = await fetch(`${this.baseUrl}/products${query}`);
    if (!response.ok) throw new Error(`GET /products failed with ${response.status}`);
    return (await response.json()) as Product[];
  }

  async get(id: string): Promise<Product> {
    const response = await fetch(`${this.baseUrl}/products/${encodeURIComponent(id)}`);
    if (!response.ok) throw new Error(`GET /products/${id} failed with ${response.status}`);
    return (await response.json()) as Product;
  }
}
