import type { Product } from '@demo/data-models';
import { t } from '@demo/i18n';
import { productCard } from '@demo/ui-components';

export function renderCatalog(products: readonly Product[]): string {
  const cards = products.map((p) =>
    productCard({ title: p.title, href: `/products/${p.slug}`, price: (p.priceCents / 100).toFixed(2) }),
  );
  return `<h1>${t('catalog.title')}</h1>${cards.join('')}`;
}
