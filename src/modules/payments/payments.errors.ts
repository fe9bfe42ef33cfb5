import { AppError, Errors } from '../../common/errors/app-error.js';

/** The payments module's stable error codes. */
export const PaymentErrors = {
  /** Same answer for an unknown tenant, a tenant without a key and a bad signature: nothing to probe. */
  invalidSignature: () => new AppError('unauthorized', 'invalid_signature', 'Missing or invalid x-paystack-signature'),
  settingRequired: (field: string, message: string) => Errors.validation(message, { fields: { [field]: [message] } }),
  amountMismatch: (expectedMinor: number, currency: string) =>
    new AppError('conflict', 'amount_mismatch', 'The amount does not equal the order total', {
      expectedMinor,
      currency,
    }),
  alreadyPaid: () => new AppError('conflict', 'already_paid', 'This order is already paid'),
  orderCancelled: () => new AppError('conflict', 'order_cancelled', 'This order is cancelled'),
  /** Removing the key would leave customers with links whose payments could not be verified. */
  paystackKeyInUse: (orderNumbers: number[]) =>
    new AppError(
      'conflict',
      'paystack_key_in_use',
      'Unpaid orders have Paystack links that need this key to confirm their payment; cancel them or wait until they are paid',
      { orderNumbers },
    ),
  duplicatePayment: () =>
    new AppError('conflict', 'duplicate_payment', 'A payment with this reference is already recorded'),
};
