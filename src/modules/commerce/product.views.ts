import type { Product } from './entities/product.entity.js';

export interface ProductView {
  id: string;
  name: string;
  description: string | null;
  priceMinor: number;
  currency: string;
  sku: string | null;
  active: boolean;
  stock: number | null;
  createdAt: string;
  updatedAt: string;
}

export function toProductView(product: Product): ProductView {
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    priceMinor: product.priceMinor,
    currency: product.currency,
    sku: product.sku,
    active: product.active,
    stock: product.stock,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}
