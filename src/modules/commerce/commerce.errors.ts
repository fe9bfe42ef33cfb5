import { AppError } from '../../common/errors/app-error.js';

/** The commerce module's stable error codes. The engine branches on `code`, HTTP on `kind`. */
export const CommerceErrors = {
  productNotFound: () => new AppError('not_found', 'not_found', 'Product not found'),
  conversationNotFound: () => new AppError('not_found', 'not_found', 'Conversation not found'),
  skuTaken: () =>
    new AppError('conflict', 'sku_taken', 'Another product of this business already uses this SKU', {
      field: 'sku',
    }),
  outOfStock: (productId: string) =>
    new AppError('conflict', 'out_of_stock', 'This product is out of stock', { productId }),
  notInCart: (productId: string) =>
    new AppError('not_found', 'not_in_cart', 'This product is not in the cart', { productId }),
  invalidQuantity: (min: number, max: number) =>
    new AppError('bad_request', 'invalid_quantity', `Quantity must be a whole number from ${min} to ${max}`, {
      min,
      max,
    }),
  currencyMismatch: (cartCurrency: string, productCurrency: string) =>
    new AppError('conflict', 'currency_mismatch', 'This product is priced in another currency than the cart', {
      cartCurrency,
      productCurrency,
    }),
};
