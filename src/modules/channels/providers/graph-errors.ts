/**
 * How a failed Graph API call (WhatsApp Cloud API or Instagram messaging) should be handled.
 * The outbound processor decides retries from `retry`, the channel service flags a
 * connection from `reconnect`, and the engine falls back to a template from `outsideWindow`.
 */
export interface ProviderFailure {
  retry: 'transient' | 'permanent';
  /** The token is invalid or lacks a permission: the channel needs reconnecting. */
  reconnect: boolean;
  /** Stable code for logs and metrics: 'meta:131047', 'meta:10/2018278', 'http:503', 'network', 'timeout'. */
  code: string;
  reason: string;
  /** Free-form messages are refused because the customer-service window has closed. */
  outsideWindow: boolean;
  /** A suggested wait before retrying, for limits that a quick retry would only prolong. */
  retryAfterMs?: number;
}

export class ProviderError extends Error {
  override readonly name = 'ProviderError';

  constructor(readonly failure: ProviderFailure) {
    super(`${failure.code}: ${failure.reason}`);
  }
}

export interface GraphErrorInput {
  httpStatus?: number;
  /** The response body, parsed or as text. */
  body?: unknown;
  networkError?: boolean;
  timedOut?: boolean;
  /** A low-level detail such as 'ECONNREFUSED', added to the reason. */
  detail?: string;
}

type Rule = Omit<ProviderFailure, 'code' | 'reason'> & { meaning: string };

interface GraphErrorFields {
  code?: number;
  subcode?: number;
  message?: string;
  details?: string;
}

const MAX_REASON_LENGTH = 500;

const transient = (meaning: string, retryAfterMs?: number): Rule => ({
  retry: 'transient',
  reconnect: false,
  outsideWindow: false,
  meaning,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

const permanent = (meaning: string, extra: Partial<Rule> = {}): Rule => ({
  retry: 'permanent',
  reconnect: false,
  outsideWindow: false,
  meaning,
  ...extra,
});

const PERMISSION = permanent('permission problem or account restricted', { reconnect: true });
const TEMPLATE = permanent('template problem');
const INVALID_PARAMETER = permanent('missing or invalid parameter');
const SERVICE_ERROR = transient('unknown or service error');
const APP_RATE_LIMIT = transient('application or account rate limit', 60_000);

/** PLATFORM-APIS §2, keyed on the Graph `error.code` because the HTTP status misleads (130429 comes as 400). */
const CODE_RULES = new Map<number, Rule>([
  [131047, permanent('outside the 24-hour customer-service window', { outsideWindow: true })],
  [130429, transient('throughput limit of the business number reached', 1_000)],
  // About one message per 6 s to the same customer is sustainable.
  [131056, transient('pair rate limit for this customer', 6_000)],
  // Quick retries while flagged for spam make the flag last longer.
  [131048, transient('spam rate limit', 60_000)],
  [131026, permanent('message undeliverable')],
  [131051, permanent('unsupported message type')],
  [131008, INVALID_PARAMETER],
  [131009, INVALID_PARAMETER],
  [100, INVALID_PARAMETER],
  [190, permanent('access token invalid or expired', { reconnect: true })],
  [10, PERMISSION],
  [131005, PERMISSION],
  [368, PERMISSION],
  [131031, PERMISSION],
  [131057, transient('account in maintenance', 30_000)],
  [4, APP_RATE_LIMIT],
  [80007, APP_RATE_LIMIT],
  [131000, SERVICE_ERROR],
  [1, SERVICE_ERROR],
  [2, SERVICE_ERROR],
]);

/**
 * Instagram reuses permission code 10 for an out-of-window send. The token is fine, so the
 * channel must not be flagged for reconnection.
 */
const INSTAGRAM_OUTSIDE_WINDOW = { code: 10, subcode: 2018278 };
const INSTAGRAM_OUTSIDE_WINDOW_RULE = permanent('outside the Instagram messaging window', { outsideWindow: true });

export function classifyGraphError(input: GraphErrorInput): ProviderFailure {
  if (input.timedOut) return failureFrom(transient('request timed out'), 'timeout', input.detail);
  if (input.networkError) return failureFrom(transient('network error'), 'network', input.detail);

  const graphError = readGraphError(input.body);
  const code = graphError?.code;
  const subcode = graphError?.subcode;
  const message = joinDefined([graphError?.message, graphError?.details]);

  if (code === INSTAGRAM_OUTSIDE_WINDOW.code && subcode === INSTAGRAM_OUTSIDE_WINDOW.subcode) {
    return failureFrom(INSTAGRAM_OUTSIDE_WINDOW_RULE, `meta:${code}/${subcode}`, message);
  }
  const known = code === undefined ? undefined : ruleForCode(code);
  if (known) return failureFrom(known, `meta:${code}`, message);

  const label = code === undefined ? httpLabel(input.httpStatus) : `meta:${code}`;
  return failureFrom(ruleForStatus(input.httpStatus), label, message);
}

/** A failure found before or after the call itself, such as a malformed recipient or response. */
export function localFailure(code: string, reason: string): ProviderFailure {
  return { retry: 'permanent', reconnect: false, outsideWindow: false, code: `local:${code}`, reason };
}

function ruleForCode(code: number): Rule | undefined {
  const exact = CODE_RULES.get(code);
  if (exact) return exact;
  if (code >= 132000 && code <= 132016) return TEMPLATE;
  if (code >= 200 && code <= 299) return PERMISSION;
  return undefined;
}

function ruleForStatus(status: number | undefined): Rule {
  if (status === undefined) return permanent('unrecognised error');
  if (status === 429 || status >= 500) return transient(`HTTP ${status}`);
  return permanent(`HTTP ${status}`);
}

function httpLabel(status: number | undefined): string {
  return status === undefined ? 'unknown' : `http:${status}`;
}

function failureFrom(rule: Rule, code: string, detail: string | undefined): ProviderFailure {
  const { meaning, ...handling } = rule;
  const reason = detail ? `${meaning}: ${detail}` : meaning;
  return { ...handling, code, reason: reason.slice(0, MAX_REASON_LENGTH) };
}

function readGraphError(body: unknown): GraphErrorFields | undefined {
  const parsed = typeof body === 'string' ? parseJsonQuietly(body) : body;
  const error = isRecord(parsed) ? parsed.error : undefined;
  if (!isRecord(error)) return undefined;
  const errorData = isRecord(error.error_data) ? error.error_data : {};
  return {
    code: toInteger(error.code),
    subcode: toInteger(error.error_subcode),
    message: typeof error.message === 'string' ? error.message : undefined,
    details: typeof errorData.details === 'string' ? errorData.details : undefined,
  };
}

function parseJsonQuietly(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Codes are numbers in API responses but can be numeric strings in some webhook payloads. */
function toInteger(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function joinDefined(parts: (string | undefined)[]): string | undefined {
  const present = parts.filter((part): part is string => Boolean(part));
  return present.length > 0 ? present.join(' — ') : undefined;
}
