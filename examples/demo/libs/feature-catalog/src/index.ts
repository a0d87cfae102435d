export { renderCatalog } from './catalog-page';
export { filterByCategory } from './filters';
