import { toWebOrigin } from './web-origin.js';

describe('toWebOrigin', () => {
  it.each([
    ['https://shop.example', 'https://shop.example'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['HTTPS://Shop.Example/', 'https://shop.example'],
    ['https://shop.example:443', 'https://shop.example'],
    ['https://shop.example:8443', 'https://shop.example:8443'],
  ])('accepts %s as %s', (input, origin) => {
    expect(toWebOrigin(input)).toBe(origin);
  });

  it.each([
    'shop.example',
    'ftp://shop.example',
    'javascript:alert(1)',
    'https://shop.example/path',
    'https://shop.example/?q=1',
    'https://shop.example/#top',
    'https://user:pass@shop.example',
    'https://shop.example//',
    '*',
    'null',
    `https://${'a'.repeat(260)}.example`,
  ])('refuses %s', (input) => {
    expect(toWebOrigin(input)).toBeUndefined();
  });
});
