export const PAYMENT_METHODS = ['paystack', 'bank_transfer'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** How a business takes money, as the workers need it: the Paystack key decrypted. */
export interface PaymentOptions {
  methods: PaymentMethod[];
  paystackSecretKey?: string;
  bankTransferInstructions?: string;
}

/** What the API shows: the key only as its last 4 characters ("••••abcd") and its mode. */
export interface PaymentSettingsView {
  methods: PaymentMethod[];
  paystackSecretKeyLast4: string | null;
  paystackKeyMode: 'test' | 'live' | null;
  bankTransferInstructions: string | null;
  updatedAt: string | null;
}
