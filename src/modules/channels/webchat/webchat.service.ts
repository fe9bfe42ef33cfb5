import { Injectable } from '@nestjs/common';
import { InboundQueue } from '../pipeline/inbound.queue.js';
import { InboxService } from '../pipeline/inbox.service.js';
import type { PollRepliesQuery, SendWebchatMessageDto } from './dto/webchat.dto.js';
import { ReplySignals } from './reply-signals.service.js';
import { decodeReplyCursor } from './webchat-cursor.js';
import { WebchatChannels } from './webchat-channels.service.js';
import { WebchatSessionLimiter } from './webchat-session-limiter.js';
import { type WebchatSession, WebchatSessions } from './webchat-sessions.service.js';
import { type WebchatRepliesPage, WebchatTranscript } from './webchat-transcript.service.js';
import { WebchatErrors } from './webchat.errors.js';

// A missed announcement (Redis away, a race with the subscription) costs at most this long.
const RECHECK_MS = 2000;
// Tabs of one site share a session; more long-polls than this from one is a client bug.
const MAX_WAITS_PER_SESSION = 5;

/** The web chat as a channel: sessions in, messages into the pipeline, replies out by long-poll. */
@Injectable()
export class WebchatService {
  constructor(
    private readonly channels: WebchatChannels,
    private readonly sessions: WebchatSessions,
    private readonly limiter: WebchatSessionLimiter,
    private readonly inbox: InboxService,
    private readonly queue: InboundQueue,
    private readonly transcript: WebchatTranscript,
    private readonly signals: ReplySignals,
  ) {}

  async openSession(channelId: string, userAgent: string | undefined): Promise<{ sessionToken: string }> {
    const channel = await this.channels.find(channelId);
    const session = channel ? await this.sessions.open(channel, userAgent) : undefined;
    if (!session) throw WebchatErrors.channelNotFound();
    return { sessionToken: session.sessionToken };
  }

  /**
   * Takes a customer message the way a webhook takes a provider's: stored in the inbox before
   * it is acknowledged, then enqueued. The client's id, scoped to the session, is the replay
   * guard, so a client may resend after a timeout without the bot answering twice.
   */
  async send(session: WebchatSession, dto: SendWebchatMessageDto): Promise<void> {
    await this.limiter.consume(session.sessionId);
    const stored = await this.inbox.store(session.tenantId, [
      {
        channelId: session.channelId,
        providerMessageId: `${session.sessionId}:${dto.clientMessageId}`,
        customerRef: session.sessionId,
        content: { kind: 'text', text: dto.text },
        sentAt: new Date(),
      },
    ]);
    await this.queue.enqueueAll(stored.map((inboxId) => ({ tenantId: session.tenantId, inboxId })));
  }

  /**
   * The session's replies after the cursor. With `wait`, a long-poll: when there are none yet,
   * waits until one is announced, the time is up, the client leaves or the server stops.
   */
  async replies(session: WebchatSession, query: PollRepliesQuery, gone: AbortSignal): Promise<WebchatRepliesPage> {
    const after = decodeReplyCursor(query.after);
    const waitMs = (query.wait ?? 0) * 1000;
    if (waitMs === 0 || this.signals.closed) return this.transcript.replies(session, after);
    if (this.signals.watching(session.sessionId) >= MAX_WAITS_PER_SESSION) throw WebchatErrors.tooManyWaits();
    const deadline = Date.now() + waitMs;
    const watch = await this.signals.watch(session.sessionId);
    try {
      for (;;) {
        const page = await this.transcript.replies(session, after);
        const left = deadline - Date.now();
        if (page.items.length > 0 || left <= 0 || gone.aborted || this.signals.closed) return page;
        // Whatever woke it, look again: Postgres, not the announcement, says what is there.
        await watch.next(Math.min(left, RECHECK_MS), gone);
      }
    } finally {
      watch.close();
    }
  }
}
