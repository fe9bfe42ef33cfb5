import { httpFailure, PaystackError } from './paystack.errors.js';
import { readInitialize, readVerify, type InitializedTransaction, type VerifiedTransaction } from './paystack-wire.js';

export interface PaystackClientOptions {
  /** `https://api.paystack.co`, or a fake's URL in tests. */
  baseUrl: string;
  timeoutMs: number;
}

export interface InitializeInput {
  email: string;
  /** In the currency's subunit (kobo, pesewas, cents): our minor units for Paystack's currencies. */
  amount: number;
  currency: string;
  reference: string;
  metadata: Record<string, string | number>;
}

export type FetchFn = typeof globalThis.fetch;

/** The currencies Paystack settles, all with two-digit subunits equal to our minor units. */
export const PAYSTACK_CURRENCIES: readonly string[] = ['NGN', 'GHS', 'ZAR', 'USD', 'KES'];

export const PAYSTACK_TIMEOUT_MS = 10_000;

/**
 * Paystack's transaction API (PLATFORM-APIS §5), keyed per call with the tenant's secret
 * key. The key travels only in the Authorization header and never into an error.
 */
export class PaystackClient {
  private readonly baseUrl: string;

  constructor(
    private readonly options: PaystackClientOptions,
    private readonly fetchFn: FetchFn = globalThis.fetch,
  ) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async initialize(secretKey: string, input: InitializeInput): Promise<InitializedTransaction> {
    if (!PAYSTACK_CURRENCIES.includes(input.currency)) {
      throw new PaystackError('permanent', 'unsupported_currency', `Paystack does not accept ${input.currency}`);
    }
    const payload = await this.request(secretKey, '/transaction/initialize', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    return readInitialize(payload);
  }

  async verify(secretKey: string, reference: string): Promise<VerifiedTransaction> {
    const payload = await this.request(secretKey, `/transaction/verify/${encodeURIComponent(reference)}`, {
      method: 'GET',
    });
    return readVerify(payload);
  }

  private async request(secretKey: string, path: string, init: RequestInit): Promise<unknown> {
    const headers = { ...(init.headers as Record<string, string>), authorization: `Bearer ${secretKey}` };
    let response: Response;
    let payload: unknown;
    try {
      response = await this.fetchFn(`${this.baseUrl}${path}`, {
        ...init,
        headers,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      payload = parseJson(await response.text());
    } catch (error) {
      // Read by shape: fetch's errors can come from another realm than this module's Error.
      const name = (error as { name?: unknown } | null)?.name;
      if (name === 'TimeoutError') throw new PaystackError('transient', 'timeout', 'Paystack did not answer in time');
      throw new PaystackError('transient', 'network', 'Paystack could not be reached');
    }
    if (!response.ok) throw httpFailure(response.status, payload, secretKey);
    return payload;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
