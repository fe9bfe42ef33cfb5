import fc from 'fast-check';
import { createHmac, hkdfSync } from 'node:crypto';
import { AppError } from '../../src/common/errors/app-error.js';
import { decodeKeyset } from '../../src/common/http/pagination.js';
import { loadConfig } from '../../src/config/app-config.js';
import { LlmError, readAnswer } from '../../src/modules/ai/llm/llm-client.js';
import { AI_TOOLS, parseToolCall } from '../../src/modules/ai/tools/ai-tools.js';
import type { CatalogItem } from '../../src/modules/commerce/catalog-match.js';
import { InvoiceLinkSigner } from '../../src/modules/invoices/invoice-link-signer.js';
import { ExportLinkSigner } from '../../src/modules/privacy/requests/export-link-signer.js';
import { verifyMetaSignature } from '../../src/modules/channels/meta/meta-signature.js';
import { parseMetaWebhook } from '../../src/modules/channels/meta/meta-webhook.parser.js';
import { toWebOrigin } from '../../src/modules/channels/connections/dto/web-origin.js';
import { decodeReplyCursor } from '../../src/modules/channels/webchat/webchat-cursor.js';
import {
  MAX_QUANTITY,
  MIN_QUANTITY,
  parseCommand,
  parseInteractiveId,
  type Command,
} from '../../src/modules/conversations/engine/command-parser.js';
import {
  asDraft,
  normalizePhone,
  regionOf,
  withDetail,
  withDetails,
} from '../../src/modules/conversations/engine/checkout/delivery-details.js';
import { PaystackError } from '../../src/modules/payments/paystack/paystack.errors.js';
import { verifyPaystackSignature } from '../../src/modules/payments/paystack/paystack-signature.js';
import { parseMetadata, readInitialize, readVerify } from '../../src/modules/payments/paystack/paystack-wire.js';
import { readPaystackEvent } from '../../src/modules/payments/webhooks/paystack-event.js';
import { parseSignedRequest } from '../../src/modules/privacy/meta/meta-signed-request.js';
import { verifiedMetaUserId } from '../../src/modules/privacy/meta/signed-request-body.js';
import { customerText, interactiveIdText } from './customer-texts.js';
import { deepNesting, hostileJson, hostileString, nestedValue } from './hostile-values.js';
import { metaDelivery } from './meta-deliveries.js';
import { paystackEvent, paystackSignature } from './paystack-events.js';
import { nearValidField, nearValidRecord, PROPERTY_RUNS } from './property-runs.js';
import { signedRequestClaims, signedRequestValue, signPayloadText } from './signed-requests.js';

/*
 * Every parser of outside input, fed hostile values: each returns normally or throws its own
 * domain error, never a TypeError or RangeError, and what it returns can be stored as it is.
 */

const check = <T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void) =>
  fc.assert(fc.property(arbitrary, predicate), PROPERTY_RUNS);

/** Runs `parse`; an error passes only when `legitimate` says it is the parser's own refusal. */
function refusesOnlyWith<T>(parse: () => T, legitimate: (error: unknown) => boolean): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (legitimate(error)) return undefined;
    throw error;
  }
}

const appErrorWith =
  (...codes: string[]) =>
  (error: unknown) =>
    error instanceof AppError && codes.includes(error.code);

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Fails unless `value` can go into a jsonb column as JSON.stringify writes it: Postgres refuses
 * `\u0000` and lone surrogates there, and timestamps past year 9999 (written `+010000-…`).
 */
function expectStorable(value: unknown, path = '$'): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000') || LONE_SURROGATE.test(value)) {
      throw new Error(`${path} cannot be stored in jsonb: ${JSON.stringify(value).slice(0, 80)}`);
    }
  } else if (value instanceof Date) {
    if (!/^\d{4}-/.test(value.toISOString()))
      throw new Error(`${path} is not a storable instant: ${value.toISOString()}`);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) expectStorable(item, `${path}.${key}`);
  }
}

const bodies = fc.oneof(
  { weight: 6, arbitrary: metaDelivery({ whatsapp: ['106540352242922'], instagram: ['17841400000000000'] }) },
  { weight: 1, arbitrary: hostileJson() },
  { weight: 1, arbitrary: fc.anything() },
  {
    weight: 1,
    arbitrary: deepNesting.map(({ depth, key, asArray }) => ({
      object: 'instagram',
      entry: nestedValue(depth, key, asArray),
    })),
  },
);

describe('the Meta webhook parser', () => {
  it('turns any body into well-formed, storable events and counts the rest as skipped', () => {
    check(bodies, (body) => {
      const parsed = parseMetaWebhook(body);
      expect(['whatsapp_business_account', 'instagram', 'unknown']).toContain(parsed.object);
      expect(Number.isSafeInteger(parsed.skipped) && parsed.skipped >= 0).toBe(true);
      for (const event of [...parsed.messages, ...parsed.statuses]) {
        expect(event.accountId.length).toBeLessThanOrEqual(256);
        expect(event.providerMessageId.length).toBeLessThanOrEqual(1024);
        expectStorable(event);
      }
      for (const message of parsed.messages) {
        expect(message.customerId.length).toBeLessThanOrEqual(256);
        expect(message.customerName?.length ?? 0).toBeLessThanOrEqual(256);
      }
    });
  });
});

const COMMAND_TYPES: readonly Command['type'][] = [
  'greet',
  'show_catalog',
  'add_to_cart',
  'remove_from_cart',
  'view_cart',
  'clear_cart',
  'cancel',
  'escalate',
  'checkout',
  'set_delivery_details',
  'change_details',
  'confirm',
  'pay',
  'order_status',
  'order_history',
  'cancel_order',
  'new_order',
  'opt_out',
  'opt_in',
  'invalid',
  'unknown',
];

function expectSaneCommand(command: Command): void {
  expect(COMMAND_TYPES).toContain(command.type);
  if (command.type === 'add_to_cart') {
    expect(command.quantity >= MIN_QUANTITY && command.quantity <= MAX_QUANTITY).toBe(true);
  }
  if ((command.type === 'add_to_cart' || command.type === 'remove_from_cart') && command.item.kind === 'index') {
    expect(Number.isSafeInteger(command.item.index) && command.item.index >= 1).toBe(true);
  }
}

describe('the command parser', () => {
  it('reads any text as one command, an item quantity always in range', () => {
    check(customerText, (text) => {
      const command = parseCommand(text);
      expectSaneCommand(command);
      if (command.type === 'unknown') expect(command.text).toBe(text.trim());
    });
  });

  it('reads any button or list id as one of our commands or as nothing', () => {
    check(interactiveIdText, (id) => {
      const command = parseInteractiveId(id);
      if (command !== null) expectSaneCommand(command);
    });
  });
});

const APP_SECRET = 'property-test-app-secret';
const META_USER_IDS = ['106540352242922', '17841400000000000', '6452789012345678'];

describe('the signed_request parser', () => {
  it('accepts a well-signed request exactly when its claims name the algorithm and a user', () => {
    check(signedRequestClaims(META_USER_IDS), (claims) => {
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      const signed = signPayloadText(payload, APP_SECRET);
      const result = parseSignedRequest(signed, APP_SECRET);
      const { algorithm, user_id: userId } = claims;
      // Real values are a few hundred characters: the parser refuses past 8 KiB without reading.
      const valid =
        signed.length <= 8192 &&
        typeof algorithm === 'string' &&
        algorithm.toUpperCase() === 'HMAC-SHA256' &&
        typeof userId === 'string' &&
        userId !== '';
      expect(result.ok).toBe(valid);
      if (result.ok) expect(result.payload.userId).toBe(userId);
    });
  });

  it('answers any value with a result, and any callback body with a user id or invalid_signed_request', () => {
    const values = fc.oneof(signedRequestValue(APP_SECRET, META_USER_IDS), hostileJson());
    const callbackBodies = fc.oneof(
      { weight: 3, arbitrary: values.map((value) => ({ signed_request: value })) },
      { weight: 1, arbitrary: hostileJson(['signed_request']) },
    );
    check(fc.tuple(values, callbackBodies), ([value, body]) => {
      const result = parseSignedRequest(value, APP_SECRET);
      if (!result.ok) expect(['malformed', 'bad_signature', 'bad_algorithm']).toContain(result.reason);
      const userId = refusesOnlyWith(
        () => verifiedMetaUserId(body, APP_SECRET),
        appErrorWith('invalid_signed_request'),
      );
      if (userId !== undefined) expect(typeof userId === 'string' && userId !== '').toBe(true);
    });
  });
});

const PAYSTACK_KEY = 'sk_test_property0000000000000000';
const EVENT_NAME = /^[a-z0-9_.]{1,100}$/i;

describe('the Paystack webhook parser', () => {
  it('reads any signed body as an event it can store: a bounded dedupe key, reference and payload', () => {
    check(fc.oneof({ weight: 4, arbitrary: paystackEvent }, { weight: 1, arbitrary: hostileJson() }), (body) => {
      const rawBody = Buffer.from(JSON.stringify(body) ?? '');
      expect(verifyPaystackSignature(rawBody, paystackSignature(rawBody, PAYSTACK_KEY), PAYSTACK_KEY)).toBe(true);
      const event = readPaystackEvent(body, rawBody);
      expect(event.event === '(malformed)' || EVENT_NAME.test(event.event)).toBe(true);
      // The bounds of payment_events: dedupe_key 1–300, reference 1–200, payload ≤ 256 KiB.
      expect(event.dedupeKey.length >= 1 && event.dedupeKey.length <= 300).toBe(true);
      expect(event.reference === null || (event.reference.length >= 1 && event.reference.length <= 200)).toBe(true);
      expect(JSON.stringify(event.payload).length).toBeLessThanOrEqual(262_144);
      expectStorable(event.payload);
    });
  });

  it('checks any signature header against any body without throwing', () => {
    const header = fc.oneof(hostileJson(), fc.stringMatching(/^[0-9a-fA-F]{0,130}$/), fc.constant(undefined));
    const raw = fc.option(
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
      { nil: undefined },
    );
    check(fc.tuple(raw, header, fc.option(hostileString, { nil: undefined })), ([rawBody, signature, key]) => {
      expect(typeof verifyPaystackSignature(rawBody, signature, key)).toBe('boolean');
    });
  });

  it("reads any answer of Paystack's API as a transaction or a PaystackError, and any metadata as an object", () => {
    const hostile = hostileJson(['status', 'data', 'reference', 'amount', 'currency']);
    const answer = nearValidRecord({
      status: nearValidField(fc.constant(true), hostile),
      data: nearValidField(
        nearValidRecord({
          authorization_url: nearValidField(fc.webUrl(), hostile),
          access_code: nearValidField(fc.string(), hostile, { optional: true }),
          reference: nearValidField(fc.string(), hostile),
          status: nearValidField(fc.constantFrom('success', 'failed'), hostile),
          amount: nearValidField(fc.nat(), hostile),
          currency: nearValidField(fc.constantFrom('NGN', 'usd'), hostile),
          paid_at: nearValidField(hostileString, hostile, { optional: true }),
          metadata: nearValidField(fc.oneof(hostileString, fc.constant('{"order_id":"x"}')), hostile, {
            optional: true,
          }),
        }),
        hostile,
      ),
    });
    check(fc.oneof(answer, hostile), (payload) => {
      const isPaystackError = (error: unknown) => error instanceof PaystackError;
      refusesOnlyWith(() => readInitialize(payload), isPaystackError);
      const verified = refusesOnlyWith(() => readVerify(payload), isPaystackError);
      if (verified) expect(Number.isNaN(verified.paidAt?.getTime())).toBe(false);
      expect(typeof parseMetadata((payload as { data?: { metadata?: unknown } } | null)?.data?.metadata)).toBe(
        'object',
      );
    });
  });
});

describe('the Meta signature check', () => {
  it('answers any header over any body with true or false', () => {
    const header = fc.oneof(hostileString, fc.stringMatching(/^sha256=[0-9a-fA-F]{0,66}$/), fc.constant(undefined));
    check(fc.tuple(fc.uint8Array({ maxLength: 64 }), header), ([bytes, signature]) => {
      expect(typeof verifyMetaSignature(Buffer.from(bytes), signature, APP_SECRET)).toBe('boolean');
    });
  });
});

const E164 = /^\+[1-9]\d{5,15}$/;

describe('delivery details typed in chat', () => {
  const locale = fc.oneof(fc.stringMatching(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/), hostileString);
  const phoneLike = fc.oneof(
    fc.stringMatching(/^(\+|00)?[0-9 ().-]{4,20}$/),
    fc.constantFrom('0803 123 4567', '+2348031234567', '08031234567'),
    hostileString,
  );
  const answer = fc.oneof(customerText, phoneLike, hostileString);
  const fieldName = fc.constantFrom('name' as const, 'phone' as const, 'address' as const);

  it('takes any answer for any field and any locale into a valid draft, or names the field to ask again', () => {
    const input = fc.tuple(
      hostileJson(['name', 'phone', 'address', 'pickup']),
      fieldName,
      answer,
      locale,
      fc.option(phoneLike),
    );
    check(input, ([stored, field, text, businessLocale, knownPhone]) => {
      const region = regionOf(businessLocale);
      const result = withDetail(asDraft(stored), field, text, region, knownPhone);
      if (!result.ok) return expect(result.field).toBe(field);
      const { name, phone, address } = result.draft;
      if (field === 'name') expect(name !== undefined && name.length <= 100).toBe(true);
      if (field === 'phone' && phone !== knownPhone) expect(phone).toMatch(E164);
      if (field === 'address' && address !== undefined) expect(address.length >= 5 && address.length <= 300).toBe(true);
      expect(normalizePhone(text, region) ?? '+100000').toMatch(E164);
    });
  });

  it('takes any details the AI sends at once into a valid draft, or names the first field that is not', () => {
    const details = nearValidRecord({
      name: nearValidField(customerText, hostileString, { optional: true }),
      phone: nearValidField(phoneLike, hostileString, { optional: true }),
      address: nearValidField(customerText, hostileString, { optional: true }),
      pickup: nearValidField(fc.boolean(), fc.constant(undefined), { optional: true }),
    });
    check(fc.tuple(details, locale), ([given, businessLocale]) => {
      const result = withDetails({}, given, regionOf(businessLocale));
      if (result.ok && result.draft.phone !== undefined) expect(result.draft.phone).toMatch(E164);
    });
  });
});

describe('cursors and origins', () => {
  const keysetText = fc
    .tuple(
      fc.oneof(
        fc.date().map((date) => (Number.isNaN(date.getTime()) ? null : date.toISOString())),
        hostileJson(),
      ),
      fc.oneof(fc.uuid(), hostileJson()),
    )
    .map((position) => Buffer.from(JSON.stringify(position)).toString('base64url'));
  const cursor = fc.oneof(keysetText, hostileString);

  it('decodes any cursor into a position or refuses it with invalid_cursor', () => {
    check(fc.tuple(cursor, fc.boolean()), ([text, nullable]) => {
      refusesOnlyWith(() => decodeKeyset(text, { nullable }), appErrorWith('invalid_cursor'));
      refusesOnlyWith(() => decodeReplyCursor(text), appErrorWith('invalid_cursor'));
    });
  });

  it('reads any text as a web origin in its serialised form, or as none', () => {
    check(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), hostileString), (text) => {
      const origin = toWebOrigin(text);
      if (origin !== undefined) expect(toWebOrigin(origin)).toBe(origin);
    });
  });
});

const JWT_SECRET = 'property-test-jwt-secret-that-is-long-enough';

/** A link token over any payload bytes, signed as the signer signs: the link format is the contract. */
function linkTokenOver(payload: Uint8Array, keyLabel: string): string {
  const key = Buffer.from(hkdfSync('sha256', JWT_SECRET, '', keyLabel, 32));
  const text = Buffer.from(payload).toString('base64url');
  return `${text}.${createHmac('sha256', key).update(text).digest('base64url')}`;
}

/** Version 1, two ids, an expiry: the layout of a real link, with random bytes in it. */
const linkPayload = fc.oneof(
  fc.tuple(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat({ max: 0xffffffff })).map(([ids, expiry]) => {
    const payload = Buffer.alloc(37);
    payload.writeUInt8(1, 0);
    Buffer.from(ids).copy(payload, 1);
    payload.writeUInt32BE(expiry, 33);
    return payload;
  }),
  fc.uint8Array({ maxLength: 60 }),
);

describe('signed invoice and export links', () => {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET });
  const links = [
    { signer: new InvoiceLinkSigner(config), keyLabel: 'hawker/invoice-link/v1' },
    { signer: new ExportLinkSigner(config), keyLabel: 'hawker/privacy-export-link/v1' },
  ];

  it('verifies any token as the uuids it names, or refuses it as not_found or link_expired', () => {
    const token = (keyLabel: string) =>
      fc.oneof(
        { weight: 3, arbitrary: linkPayload.map((payload) => linkTokenOver(payload, keyLabel)) },
        { weight: 1, arbitrary: linkPayload.map((payload) => linkTokenOver(payload, 'another/label')) },
        { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{50}\.[A-Za-z0-9_-]{43}$/) },
        { weight: 1, arbitrary: hostileString },
      );
    for (const { signer, keyLabel } of links) {
      check(fc.tuple(token(keyLabel), fc.date({ noInvalidDate: true })), ([text, now]) => {
        const claims = refusesOnlyWith(() => signer.verify(text, now), appErrorWith('not_found', 'link_expired'));
        for (const id of Object.values(claims ?? {})) expect(id).toMatch(/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/);
      });
    }
  });
});

const CATALOG: CatalogItem[] = [
  {
    index: 1,
    id: '3f1c2b9e-8d4a-4c6b-9e2f-1a2b3c4d5e6f',
    name: 'Jollof Rice',
    description: null,
    priceMinor: 250_000,
    currency: 'NGN',
    sku: 'JOL-1',
    stock: null,
  },
];

describe('answers of the AI model', () => {
  const hostile = hostileJson(['choices', 'message', 'content', 'tool_calls', 'function', 'arguments']);
  const field = (plausible: fc.Arbitrary<unknown>) => nearValidField(plausible, hostile);
  const optional = (plausible: fc.Arbitrary<unknown>) => nearValidField(plausible, hostile, { optional: true });
  const toolArguments = nearValidRecord({
    product_id: optional(fc.oneof(fc.constant(CATALOG[0].id), fc.constant(CATALOG[0].id.toUpperCase()), fc.uuid())),
    quantity: optional(fc.integer({ min: -1, max: 120 })),
    name: optional(customerText),
    phone: optional(customerText),
    address: optional(customerText),
    pickup: optional(fc.boolean()),
    order_number: optional(fc.integer({ min: -1, max: 2 ** 54 })),
    reason: optional(hostileString),
  });
  const toolCall = nearValidRecord({
    id: optional(fc.string()),
    type: optional(fc.constantFrom('function', 'custom')),
    function: field(
      nearValidRecord({
        name: field(fc.constantFrom(...AI_TOOLS.map((tool) => tool.function.name))),
        arguments: field(
          fc.oneof(
            toolArguments.map((args) => JSON.stringify(args)),
            toolArguments,
            hostileString,
          ),
        ),
      }),
    ),
  });
  const completion = nearValidRecord({
    choices: field(
      fc.array(
        nearValidRecord({
          message: field(
            nearValidRecord({
              content: optional(fc.oneof(customerText, fc.constant(null))),
              tool_calls: optional(fc.array(toolCall, { maxLength: 3 })),
            }),
          ),
          finish_reason: optional(fc.constantFrom('stop', 'tool_calls', 'length', 'content_filter')),
        }),
        { maxLength: 2 },
      ),
    ),
  });

  it('reads any completion as an answer or a malformed LlmError, and any tool call as a command or a refusal', () => {
    check(fc.oneof(completion, hostile), (body) => {
      const answer = refusesOnlyWith(
        () => readAnswer(body),
        (error) => error instanceof LlmError && error.kind === 'malformed',
      );
      for (const call of answer?.toolCalls ?? []) {
        const result = parseToolCall(call, CATALOG);
        if (result.ok) expectSaneCommand(result.command);
        else expect(typeof result.reason).toBe('string');
      }
    });
  });
});
