import { classifyGraphError, localFailure, ProviderError } from './graph-errors.js';

const graphBody = (code: number, extra: Record<string, unknown> = {}) => ({
  error: { message: `error ${code}`, type: 'OAuthException', code, fbtrace_id: 'trace', ...extra },
});

describe('classifyGraphError', () => {
  it.each([
    [131047, 400, 'permanent', false, true],
    [130429, 400, 'transient', false, false],
    [131056, 400, 'transient', false, false],
    [131048, 400, 'transient', false, false],
    [131026, 400, 'permanent', false, false],
    [131051, 400, 'permanent', false, false],
    [131008, 400, 'permanent', false, false],
    [131009, 400, 'permanent', false, false],
    [100, 400, 'permanent', false, false],
    [132000, 400, 'permanent', false, false],
    [132016, 400, 'permanent', false, false],
    [190, 401, 'permanent', true, false],
    [10, 403, 'permanent', true, false],
    [200, 403, 'permanent', true, false],
    [299, 403, 'permanent', true, false],
    [131005, 403, 'permanent', true, false],
    [368, 403, 'permanent', true, false],
    [131031, 403, 'permanent', true, false],
    [131057, 400, 'transient', false, false],
    [4, 400, 'transient', false, false],
    [80007, 400, 'transient', false, false],
    [131000, 500, 'transient', false, false],
    [1, 500, 'transient', false, false],
    [2, 503, 'transient', false, false],
  ])(
    'maps Graph code %i (HTTP %i) to %s, reconnect %s, outsideWindow %s',
    (code, httpStatus, retry, reconnect, outsideWindow) => {
      const failure = classifyGraphError({ httpStatus, body: graphBody(code) });
      expect(failure).toMatchObject({ retry, reconnect, outsideWindow, code: `meta:${code}` });
    },
  );

  it('treats the throughput limit as transient although it comes with HTTP 400', () => {
    expect(classifyGraphError({ httpStatus: 400, body: graphBody(130429) }).retry).toBe('transient');
  });

  it('treats a Graph code that is not in the table as permanent on 4xx and transient on 5xx', () => {
    expect(classifyGraphError({ httpStatus: 400, body: graphBody(999_999) })).toMatchObject({
      retry: 'permanent',
      code: 'meta:999999',
    });
    expect(classifyGraphError({ httpStatus: 502, body: graphBody(999_999) })).toMatchObject({
      retry: 'transient',
      code: 'meta:999999',
    });
  });

  it('classifies Instagram out-of-window sends as permanent, outside the window and not a reconnection', () => {
    const failure = classifyGraphError({ httpStatus: 400, body: graphBody(10, { error_subcode: 2018278 }) });
    expect(failure).toMatchObject({
      retry: 'permanent',
      reconnect: false,
      outsideWindow: true,
      code: 'meta:10/2018278',
    });
  });

  it('still treats code 10 with another subcode as a permission problem', () => {
    const failure = classifyGraphError({ httpStatus: 403, body: graphBody(10, { error_subcode: 2018001 }) });
    expect(failure).toMatchObject({ retry: 'permanent', reconnect: true, outsideWindow: false });
  });

  it('suggests a long backoff for the spam limit and a pair-rate backoff for one customer', () => {
    expect(classifyGraphError({ httpStatus: 400, body: graphBody(131048) }).retryAfterMs).toBe(60_000);
    expect(classifyGraphError({ httpStatus: 400, body: graphBody(131056) }).retryAfterMs).toBe(6_000);
    expect(classifyGraphError({ httpStatus: 400, body: graphBody(131047) }).retryAfterMs).toBeUndefined();
  });

  it.each([
    [{ httpStatus: 500 }, 'transient', 'http:500'],
    [{ httpStatus: 503, body: '<html>Service Unavailable</html>' }, 'transient', 'http:503'],
    [{ httpStatus: 429 }, 'transient', 'http:429'],
    [{ httpStatus: 404, body: { unexpected: true } }, 'permanent', 'http:404'],
    [{ httpStatus: 400, body: 'Bad Request' }, 'permanent', 'http:400'],
    [{ networkError: true, detail: 'ECONNREFUSED' }, 'transient', 'network'],
    [{ timedOut: true }, 'transient', 'timeout'],
  ] as const)('classifies %j without a Graph code as %s', (input, retry, code) => {
    expect(classifyGraphError(input)).toMatchObject({ retry, code, reconnect: false, outsideWindow: false });
  });

  it('reads an error body that arrives as JSON text and numeric-string codes from webhooks', () => {
    expect(classifyGraphError({ httpStatus: 400, body: JSON.stringify(graphBody(131047)) }).outsideWindow).toBe(true);
    expect(classifyGraphError({ body: { error: { code: '131047' } } }).code).toBe('meta:131047');
  });

  it("puts Meta's message and details into the reason", () => {
    const body = graphBody(131009, {
      message: '(#131009) Parameter value is not valid',
      error_data: { details: 'buttons too long' },
    });
    const { reason } = classifyGraphError({ httpStatus: 400, body });
    expect(reason).toContain('Parameter value is not valid');
    expect(reason).toContain('buttons too long');
  });
});

describe('ProviderError', () => {
  it('carries the failure and names its code in the message', () => {
    const error = new ProviderError(localFailure('invalid_recipient', 'recipient is not a phone number'));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProviderError');
    expect(error.message).toBe('local:invalid_recipient: recipient is not a phone number');
    expect(error.failure.retry).toBe('permanent');
  });
});
