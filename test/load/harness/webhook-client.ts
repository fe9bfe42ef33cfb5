import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { sign, whatsappDelivery } from '../../support/meta-webhooks.js';

export interface Acknowledgement {
  status: number;
  latencyMs: number;
}

/**
 * Posts signed WhatsApp deliveries to Hawker's Meta webhook over a fixed pool of keep-alive
 * connections, as Meta's delivery fleet does.
 */
export class WebhookClient {
  private readonly pool: Pool;

  constructor(
    apiUrl: string,
    private readonly appSecret: string,
    connections: number,
  ) {
    this.pool = new Pool(apiUrl, { connections, pipelining: 1, headersTimeout: 30_000, bodyTimeout: 30_000 });
  }

  /** One delivery carrying one customer message; status 0 when the connection failed. */
  async deliver(phoneNumberId: string, from: string, text: string): Promise<Acknowledgement> {
    const body = deliveryBody(phoneNumberId, from, text);
    const started = performance.now();
    const status = await this.post(body);
    return { status, latencyMs: performance.now() - started };
  }

  /**
   * Delivers like Meta: anything but a 200 is retried with the same message id (the same
   * body) until it is taken, so an outage delays a message but never drops it.
   */
  async deliverUntilAccepted(
    phoneNumberId: string,
    from: string,
    text: string,
    onRefused: (status: number) => void = () => undefined,
  ): Promise<void> {
    const body = deliveryBody(phoneNumberId, from, text);
    for (let attempt = 0; ; attempt++) {
      const status = await this.post(body);
      if (status === 200) return;
      onRefused(status);
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 2000)));
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async post(body: string): Promise<number> {
    try {
      const res = await this.pool.request({
        method: 'POST',
        path: '/v1/webhooks/meta',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, this.appSecret) },
        body,
      });
      await res.body.dump();
      return res.statusCode;
    } catch {
      return 0;
    }
  }
}

/** One text message as Meta delivers it, stamped with the current second. */
function deliveryBody(phoneNumberId: string, from: string, text: string): string {
  return JSON.stringify(whatsappDelivery(phoneNumberId, [{ from, text, sentAt: Math.floor(Date.now() / 1000) }]));
}
