import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { CREATE_CHANNEL_DTOS } from '../../src/modules/channels/connections/dto/create-channel.dto.js';
import { nearValidDto, type ShapeContext } from './dto-shapes.js';
import { hostileString } from './hostile-values.js';
import type { InputRoute } from './http-routes.js';
import { metaDelivery, type MetaAccounts } from './meta-deliveries.js';
import { paystackEvent, paystackSignature } from './paystack-events.js';
import { nearValidField, nearValidRecord } from './property-runs.js';
import { signedRequestValue } from './signed-requests.js';
import { hostileBody, hostileQuery, percentEncode, type WireBody } from './wire-encodings.js';

/** What the fuzz sends to one route, besides its path and the caller's credentials. */
export interface HostileInput {
  query: string;
  body?: WireBody;
  headers: Record<string, string>;
}

/** What the specialised generators need to know: who signs what, and which accounts are real. */
export interface Signing {
  metaAppSecret: string;
  metaVerifyToken: string;
  metaAccounts: MetaAccounts;
  /** Ids a Meta callback may name: page, account and Instagram-scoped user ids of a real business. */
  metaUserIds: readonly string[];
  paystackKey: string;
}

type Specialised = (signing: Signing, context: ShapeContext) => fc.Arbitrary<HostileInput>;

/** Printable header text: anything else the HTTP client itself refuses to send. */
const headerText = fc.stringMatching(/^[\x20-\x7e]{0,90}$/);

type SignatureMode = 'valid' | 'uppercase' | 'padded' | 'missing' | 'forged' | 'garbage';
const signatureMode = fc.oneof(
  { weight: 20, arbitrary: fc.constant<SignatureMode>('valid') },
  { weight: 1, arbitrary: fc.constantFrom<SignatureMode>('uppercase', 'padded', 'missing', 'forged', 'garbage') },
);

/**
 * Signs each body as the provider would, most of the time, so the parser behind the signature
 * is reached; and otherwise forges, omits or garbles the signature.
 */
function signed(
  bodies: fc.Arbitrary<WireBody>,
  header: string,
  sign: (payload: string | Buffer, secret: string) => string,
  secret: string,
): fc.Arbitrary<HostileInput> {
  return fc.tuple(bodies, signatureMode, headerText).map(([body, mode, garbage]) => {
    const valid = sign(body.payload, secret);
    const value: Record<SignatureMode, string | undefined> = {
      valid,
      uppercase: valid.toUpperCase(),
      padded: ` ${valid} `,
      missing: undefined,
      forged: sign(body.payload, `${secret}-forged`),
      garbage,
    };
    const signature = value[mode];
    return { query: '', body, headers: signature === undefined ? {} : { [header]: signature } };
  });
}

const metaSignature = (payload: string | Buffer, secret: string) =>
  `sha256=${createHmac('sha256', secret).update(payload).digest('hex')}`;

/** Meta's callbacks are form-encoded: `signed_request=<value>`, once or (hostile) more than once. */
function metaCallback(signing: Signing): fc.Arbitrary<HostileInput> {
  const value = signedRequestValue(signing.metaAppSecret, signing.metaUserIds);
  const form = (text: string): WireBody => ({ contentType: 'application/x-www-form-urlencoded', payload: text });
  const bodies = fc.oneof(
    { weight: 8, arbitrary: value.map((v) => form(`signed_request=${percentEncode(v)}`)) },
    {
      weight: 1,
      arbitrary: fc
        .array(value, { minLength: 2, maxLength: 3 })
        .map((values) => form(values.map((v) => `signed_request=${percentEncode(v)}`).join('&'))),
    },
    {
      weight: 3,
      arbitrary: hostileBody(nearValidRecord({ signed_request: nearValidField(value, hostileString) }), [
        'signed_request',
      ]),
    },
  );
  return bodies.map((body) => ({ query: '', body, headers: {} }));
}

/** Routes whose input a generic shape cannot reach: signed webhooks, signed callbacks, a union body. */
export const SPECIALISED: Readonly<Record<string, Specialised>> = {
  'POST /v1/webhooks/meta': (signing) =>
    signed(
      hostileBody(metaDelivery(signing.metaAccounts), ['object', 'entry'], { nearValidWeight: 30 }),
      'x-hub-signature-256',
      metaSignature,
      signing.metaAppSecret,
    ),
  'POST /v1/webhooks/paystack/:tenantId': (signing) =>
    signed(
      hostileBody(paystackEvent, ['event', 'data'], { nearValidWeight: 30 }),
      'x-paystack-signature',
      paystackSignature,
      signing.paystackKey,
    ),
  'GET /v1/webhooks/meta': (signing) => {
    const handshake = nearValidRecord({
      'hub.mode': nearValidField(fc.constantFrom('subscribe', 'unsubscribe'), hostileString),
      'hub.verify_token': nearValidField(fc.constantFrom(signing.metaVerifyToken, 'not-the-token'), hostileString),
      'hub.challenge': nearValidField(fc.oneof(fc.nat().map(String), hostileString), hostileString),
    });
    return hostileQuery(handshake, ['hub.mode', 'hub.verify_token', 'hub.challenge']).map((query) => ({
      query,
      headers: {},
    }));
  },
  'POST /v1/meta/deauthorize': metaCallback,
  'POST /v1/meta/data-deletion': metaCallback,
  // The body's `type` picks one of three DTOs (CreateChannelPipe): near each of them.
  'POST /v1/tenants/:tenantId/channels': (_signing, context) =>
    hostileBody(fc.oneof(...Object.values(CREATE_CHANNEL_DTOS).map((dto) => nearValidDto(dto, context)))).map(
      (body) => ({ query: '', body, headers: {} }),
    ),
};

/** The hostile inputs for `route`: its specialised generator, or one built from its DTOs. */
export function hostileInputs(route: InputRoute, signing: Signing, context: ShapeContext): fc.Arbitrary<HostileInput> {
  const specialised = SPECIALISED[route.key];
  if (specialised) return specialised(signing, context);
  const query = route.takesQuery
    ? hostileQuery(route.queryDto && nearValidDto(route.queryDto, context))
    : fc.constant('');
  const body =
    route.takesBody && route.method !== 'GET'
      ? hostileBody(route.bodyDto && nearValidDto(route.bodyDto, context))
      : fc.constant(undefined);
  return fc.record({ query, body, headers: fc.constant({}) });
}
