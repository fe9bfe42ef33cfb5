import { AppError } from '../../../common/errors/app-error.js';

/** The orders flow's stable error codes. The engine branches on `code`, HTTP on `kind`. */
export const OrderErrors = {
  orderNotFound: () => new AppError('not_found', 'not_found', 'Order not found'),
  cartEmpty: () => new AppError('conflict', 'cart_empty', 'The cart is empty'),
  illegalTransition: (from: string, to: string) =>
    new AppError('conflict', 'illegal_transition', `Cannot move an order from ${from} to ${to}`, { from, to }),
  /** Names the product so the customer can be told which one sold out. */
  outOfStock: (productId: string, name: string, available: number) =>
    new AppError('conflict', 'out_of_stock', `${name} is out of stock`, { productId, name, available }),
  invalidDelivery: (field: string, message: string) =>
    new AppError('bad_request', 'invalid_delivery', message, { field }),
};
