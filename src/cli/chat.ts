import { randomUUID } from 'node:crypto';
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import { parseArgs } from 'node:util';

/**
 * `npm run chat`: talk to a business from the terminal through the public web chat API, as a
 * customer's browser would — nothing here touches the database or the server's internals.
 *
 *   npm run chat                          the seeded demo business (signs in as its owner to find its channel)
 *   npm run chat -- --channel <id>        any web chat channel
 *   npm run chat -- --url http://host:port
 *
 * With a pipe on stdin it runs a script: each line is sent once the previous one has been
 * answered, and it exits when the input ends and the replies have stopped coming.
 */

// Long enough for the bot (or an AI turn) to answer; a script does not hang on a silent one.
const REPLY_TIMEOUT_MS = 20_000;
// After the last line: replies still arriving within this long are waited for.
const QUIET_MS = 1_500;
const DRAIN_MAX_MS = 15_000;
const LONG_POLL_SECONDS = 25;
const MAX_SEND_ATTEMPTS = 4;

interface ReplyContent {
  kind: string;
  text?: string;
  header?: string;
  footer?: string;
  rows?: { title: string; description?: string }[];
  buttons?: { title: string }[];
}

interface Reply {
  id: string;
  text: string;
  content: ReplyContent;
}

class ChatError extends Error {}

class Api {
  constructor(private readonly baseUrl: string) {}

  async call<T>(
    method: 'GET' | 'POST',
    path: string,
    options: { token?: string; body?: unknown; signal?: AbortSignal } = {},
  ): Promise<{ status: number; body: T; retryAfter?: number }> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ChatError(`cannot reach ${this.baseUrl} (${cause?.code ?? cause?.message ?? String(error)})`);
    }
    const text = await response.text();
    const body = (text ? JSON.parse(text) : undefined) as T;
    const retryAfter = Number(response.headers.get('retry-after')) || undefined;
    if (response.ok || response.status === 429) return { status: response.status, body, retryAfter };
    const message = (body as { error?: { message?: string } } | undefined)?.error?.message ?? response.statusText;
    throw new ChatError(`${method} ${path} answered ${response.status}: ${message}`);
  }
}

/** Finds the demo business's web chat the way its owner would: sign in, list the channels. */
async function findDemoChannel(api: Api): Promise<{ channelId: string; name?: string }> {
  // Loaded only here: `--channel` needs none of the server's modules.
  const { DEMO_BUSINESS, DEMO_EMAIL, DEMO_PASSWORD } = await import('../bootstrap/seed-demo.js');
  let accessToken: string;
  try {
    const login = await api.call<{ accessToken: string }>('POST', '/v1/auth/login', {
      body: { email: DEMO_EMAIL, password: DEMO_PASSWORD },
    });
    accessToken = login.body.accessToken;
  } catch (error) {
    throw new ChatError(
      `${(error as Error).message}\nCould not sign in as the demo owner (${DEMO_EMAIL}). Is the server a development ` +
        'one with the demo seeded (SEED_DEMO=true on an empty database)? Otherwise pass --channel <id>.',
    );
  }
  const me = await api.call<{ memberships: { tenantId: string; tenantName: string }[] }>('GET', '/v1/me', {
    token: accessToken,
  });
  const tenant = me.body.memberships.find((m) => m.tenantName === DEMO_BUSINESS) ?? me.body.memberships[0];
  if (!tenant) throw new ChatError(`${DEMO_EMAIL} belongs to no business`);
  const channels = await api.call<{ items: { id: string; type: string; status: string }[] }>(
    'GET',
    `/v1/tenants/${tenant.tenantId}/channels?type=webchat&status=active`,
    { token: accessToken },
  );
  const channel = channels.body.items.find((c) => c.type === 'webchat' && c.status !== 'disconnected');
  if (!channel) throw new ChatError(`${tenant.tenantName} has no connected web chat channel`);
  return { channelId: channel.id, name: tenant.tenantName };
}

/** Replies as they arrive, and a way to wait for the next ones. */
class Replies {
  count = 0;
  private readonly listeners = new Set<() => void>();

  received(): void {
    this.count++;
    for (const listener of this.listeners) listener();
  }

  /** True when `count` passes `beyond` within `ms`. */
  waitBeyond(beyond: number, ms: number): Promise<boolean> {
    if (this.count > beyond) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (this.count <= beyond) return;
        finish(true);
      };
      const finish = (value: boolean) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => finish(false), ms);
      this.listeners.add(check);
    });
  }
}

function render(reply: Reply): string {
  const content = reply.content;
  switch (content.kind) {
    case 'list':
      return [
        content.header,
        content.text,
        ...(content.rows ?? []).map(
          (row, index) => `  ${index + 1}. ${row.title}${row.description ? ` — ${row.description}` : ''}`,
        ),
        content.footer,
      ]
        .filter((line) => line)
        .join('\n');
    case 'text': {
      const buttons = (content.buttons ?? []).map((button) => `[${button.title}]`).join(' ');
      return buttons ? `${content.text ?? reply.text}\n${buttons}` : (content.text ?? reply.text);
    }
    default:
      return reply.text;
  }
}

function indent(text: string, label: string): string {
  const pad = ' '.repeat(label.length + 2);
  return `${label}: ${text
    .split('\n')
    .map((line, index) => (index === 0 || line === '' ? line : `${pad}${line}`))
    .join('\n')}\n`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, channel: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write('Usage: npm run chat -- [--url http://localhost:3000] [--channel <web chat channel id>]\n');
    return 0;
  }
  // A client of the HTTP API, not a server process: it has no AppConfig, only the port the
  // server is usually started with.
  const baseUrl = (values.url ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
  const api = new Api(baseUrl);
  const target = values.channel ? { channelId: values.channel, name: undefined } : await findDemoChannel(api);
  const base = `/v1/webchat/${encodeURIComponent(target.channelId)}`;
  const session = await api.call<{ sessionToken: string }>('POST', `${base}/sessions`);
  const token = session.body.sessionToken;
  const label = target.name ?? 'shop';
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);

  process.stdout.write(
    `Chatting with ${target.name ?? `web chat ${target.channelId}`} at ${baseUrl}.\n` +
      (interactive ? 'Try "hi", "menu", "add 1", "cart". Ctrl-D to leave.\n\n' : '\n'),
  );

  // In a terminal readline echoes and prompts; from a pipe the transcript is written below.
  const rl: Interface = createInterface({
    input: process.stdin,
    output: interactive ? process.stdout : undefined,
    terminal: interactive,
    prompt: 'you: ',
  });
  rl.on('SIGINT', () => rl.close());
  const replies = new Replies();
  const stop = new AbortController();

  const show = (reply: Reply) => {
    const text = indent(render(reply), label);
    if (interactive) {
      // Print above the line being typed, then put the prompt and the typing back.
      clearLine(process.stdout, 0);
      cursorTo(process.stdout, 0);
      process.stdout.write(text);
      rl.prompt(true);
    } else {
      process.stdout.write(text);
    }
    replies.received();
  };

  const polling = (async () => {
    let cursor: string | undefined;
    let failing = false;
    while (!stop.signal.aborted) {
      try {
        const query = `wait=${LONG_POLL_SECONDS}${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`;
        const page = await api.call<{ items: Reply[]; nextCursor: string | null }>('GET', `${base}/messages?${query}`, {
          token,
          signal: stop.signal,
        });
        if (page.status === 429) {
          await sleep((page.retryAfter ?? 1) * 1000, stop.signal);
          continue;
        }
        failing = false;
        for (const item of page.body.items) show(item);
        cursor = page.body.nextCursor ?? cursor;
      } catch (error) {
        if (stop.signal.aborted) return;
        if (!failing) process.stderr.write(`chat: ${(error as Error).message}; retrying\n`);
        failing = true;
        await sleep(1000, stop.signal);
      }
    }
  })();

  const send = async (text: string): Promise<void> => {
    const clientMessageId = randomUUID();
    for (let attempt = 1; attempt <= MAX_SEND_ATTEMPTS; attempt++) {
      const sent = await api.call('POST', `${base}/messages`, { token, body: { text, clientMessageId } });
      if (sent.status !== 429) return;
      // Same id: had the first attempt got through after all, the server would ignore this one.
      await sleep((sent.retryAfter ?? 1) * 1000);
    }
    throw new ChatError('the business is not accepting more messages right now; try again in a minute');
  };

  if (interactive) rl.prompt();
  try {
    for await (const line of rl) {
      const text = line.trim();
      if (text) {
        if (!interactive) process.stdout.write(indent(text, 'you'));
        const before = replies.count;
        await send(text.slice(0, 2000));
        // A script waits for an answer before its next line, as a person would.
        if (!interactive && !(await replies.waitBeyond(before, REPLY_TIMEOUT_MS)))
          process.stderr.write(`chat: no reply to "${text}" within ${REPLY_TIMEOUT_MS / 1000} s\n`);
      }
      if (interactive) rl.prompt();
    }
    if (!interactive) {
      // Drained once QUIET_MS pass without a reply (a command may be answered in several).
      const deadline = Date.now() + DRAIN_MAX_MS;
      let more = true;
      while (more && Date.now() < deadline) more = await replies.waitBeyond(replies.count, QUIET_MS);
    }
  } finally {
    stop.abort();
    await polling;
    rl.close();
  }
  if (interactive) process.stdout.write('\nBye!\n');
  return 0;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `chat: ${error instanceof ChatError ? error.message : String((error as Error).stack ?? error)}\n`,
    );
    process.exitCode = 1;
  },
);
