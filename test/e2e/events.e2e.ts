import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import { Redis } from 'ioredis';
import type { TenantEvent } from '../../src/modules/conversations/events/conversation-events.js';
import { ConversationEventsPublisher } from '../../src/modules/conversations/events/conversation-events.publisher.js';
import { addMember, signUp, type Account } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Frame {
  event?: string;
  data?: string;
  comments: string[];
}

/** A server-sent events client over plain node:http, as a browser's EventSource reads it. */
class SseClient {
  readonly frames: Frame[] = [];
  private buffer = '';

  constructor(
    private readonly request: http.ClientRequest,
    readonly response: http.IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) !== -1) {
        this.frames.push(parseFrame(this.buffer.slice(0, end)));
        this.buffer = this.buffer.slice(end + 2);
      }
    });
  }

  get events(): TenantEvent[] {
    return this.frames.filter((f) => f.data !== undefined).map((f) => JSON.parse(f.data!) as TenantEvent);
  }

  async waitFor(match: (frame: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = this.frames.find(match);
      if (frame) return frame;
      if (Date.now() > deadline) throw new Error('the expected frame never arrived');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.request.destroy();
  }
}

function parseFrame(block: string): Frame {
  const frame: Frame = { comments: [] };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comments.push(line.slice(1).trim());
    else if (line.startsWith('event: ')) frame.event = line.slice('event: '.length);
    else if (line.startsWith('data: ')) frame.data = line.slice('data: '.length);
  }
  return frame;
}

let t: TestApp;
let ownerA: Account;
let staffA: Account;
let ownerB: Account;
let publisher: ConversationEventsPublisher;
let closed = false;
const open: SseClient[] = [];

beforeAll(async () => {
  t = await startTestApp();
  ownerA = await signUp(t);
  staffA = await addMember(t, ownerA, 'staff');
  ownerB = await signUp(t);
  publisher = t.app.get(ConversationEventsPublisher);
});
afterEach(() => {
  for (const client of open.splice(0)) client.close();
});
afterAll(async () => {
  if (!closed) await t.close();
});

/** Opens a member's stream and waits until the server says it is listening. */
async function openStream(account: Account, tenantId = account.tenantId): Promise<SseClient> {
  const client = await new Promise<SseClient>((resolve, reject) => {
    const request = http.request(
      `${t.url}/v1/tenants/${tenantId}/events`,
      { headers: { ...account.auth, accept: 'text/event-stream' } },
      (response) => resolve(new SseClient(request, response)),
    );
    request.on('error', reject);
    request.end();
  });
  open.push(client);
  expect(client.response.statusCode).toBe(200);
  await client.waitFor((f) => f.comments.includes('connected'));
  return client;
}

const escalation = () => ({ type: 'conversation.escalated' as const, conversationId: randomUUID() });

describe('the live event stream', () => {
  it('delivers an escalation of their business to a staff member as it is published', async () => {
    const stream = await openStream(staffA);
    expect(stream.response.headers['content-type']).toBe('text/event-stream');
    expect(stream.response.headers['cache-control']).toBe('no-cache');
    expect(stream.response.headers['x-accel-buffering']).toBe('no');

    const event = escalation();
    await publisher.publish(ownerA.tenantId, [event]);

    const frame = await stream.waitFor((f) => f.event === 'conversation.escalated');
    expect(JSON.parse(frame.data!)).toEqual({ tenantId: ownerA.tenantId, event, at: expect.any(String) });
  });

  it('answers 404 to a member of another business and 401 to nobody', async () => {
    await t.http().get(`/v1/tenants/${ownerA.tenantId}/events`).set(ownerB.auth).expect(404);
    await t.http().get(`/v1/tenants/${ownerA.tenantId}/events`).expect(401);
  });

  it("never gives tenant B tenant A's events", async () => {
    const streamA = await openStream(ownerA);
    const streamB = await openStream(ownerB);
    const forA = escalation();
    const forB = escalation();

    await publisher.publish(ownerA.tenantId, [forA]);
    await publisher.publish(ownerB.tenantId, [forB]);

    // One subscriber connection delivers in publish order: had A's event been routed to
    // B's stream, it would have arrived before B's own.
    await streamB.waitFor((f) => f.data?.includes(forB.conversationId) ?? false);
    await streamA.waitFor((f) => f.data?.includes(forA.conversationId) ?? false);
    expect(streamB.events.map((e) => e.tenantId)).toEqual([ownerB.tenantId]);
    expect(streamA.events.map((e) => e.tenantId)).toEqual([ownerA.tenantId]);
  });

  it('relays events published by another process through Redis, in order, and drops malformed ones', async () => {
    const stream = await openStream(staffA);
    const channel = `${t.config.redis.prefix}:events:${ownerA.tenantId}`;
    const worker = new Redis(t.config.redis.url);
    try {
      const first = { tenantId: ownerA.tenantId, event: escalation(), at: new Date().toISOString() };
      const second = {
        tenantId: ownerA.tenantId,
        event: { type: 'conversation.assigned', conversationId: first.event.conversationId, assigneeId: staffA.userId },
        at: new Date().toISOString(),
      };
      await worker.publish(channel, JSON.stringify(first));
      await worker.publish(channel, 'not json');
      await worker.publish(channel, JSON.stringify({ ...first, event: { type: 'x\ndata: forged' } }));
      // Addressed to A's channel but claiming to be B's: never delivered.
      await worker.publish(channel, JSON.stringify({ ...first, tenantId: ownerB.tenantId }));
      await worker.publish(channel, JSON.stringify(second));

      await stream.waitFor((f) => f.event === 'conversation.assigned');
      expect(stream.events).toEqual([first, second]);
    } finally {
      worker.disconnect();
    }
  });

  it('lets go of the Redis subscription when the last stream of a business closes', async () => {
    const redis = new Redis(t.config.redis.url);
    const channel = `${t.config.redis.prefix}:events:${ownerB.tenantId}`;
    const subscribers = async () => ((await redis.pubsub('NUMSUB', channel)) as [string, number])[1];
    try {
      const one = await openStream(ownerB);
      const two = await openStream(ownerB);
      expect(await subscribers()).toBe(1);
      one.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await subscribers()).toBe(1);
      two.close();
      for (let i = 0; i < 50 && (await subscribers()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await subscribers()).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  // Last: it stops the application.
  it('ends open streams on shutdown, so that the server can close', async () => {
    const stream = await openStream(staffA);
    const ended = once(stream.response, 'end');
    closed = true;
    await t.close();
    await ended;
  });
});
