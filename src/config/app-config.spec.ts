import { ConfigError, loadConfig, parseEncryptionKeys } from './app-config.js';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

describe('loadConfig', () => {
  it('works with no configuration at all in development, naming the defaults it used', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/hawker');
    expect(config.devDefaultsUsed).toEqual(expect.arrayContaining(['JWT_SECRET', 'ENCRYPTION_KEY']));
  });

  it('refuses to start in production without real secrets', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      new ConfigError('JWT_SECRET is required when NODE_ENV=production'),
    );
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      /ENCRYPTION_KEY is required/,
    );
  });

  it('starts in production with every secret set', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      ENCRYPTION_KEY: `k2:${key(2)},k1:${key(1)}`,
      META_APP_SECRET: 'app-secret',
      META_VERIFY_TOKEN: 'verify',
    });
    expect(config.devDefaultsUsed).toEqual([]);
    expect(config.encryptionKeys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(config.seedDemo).toBe(false);
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', APP_ROLE: 'everything', JWT_SECRET: 'short' })).toThrow(
      /PORT.*APP_ROLE.*JWT_SECRET|PORT|APP_ROLE/,
    );
  });

  it('reads lists and ignores variables that are not ours', () => {
    const config = loadConfig({
      PLATFORM_ADMIN_EMAILS: 'Root@Example.com, ops@example.com',
      PATH: '/bin',
      CORS_ORIGINS: 'https://a.example,https://b.example',
    });
    expect(config.platformAdminEmails).toEqual(['root@example.com', 'ops@example.com']);
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });
});

describe('TRUST_PROXY', () => {
  it('trusts no proxy unless told, then a hop count or listed addresses', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).http.trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
  });
});

describe('parseEncryptionKeys', () => {
  it('refuses keys that are not 32 bytes or share an id', () => {
    expect(() => parseEncryptionKeys(`k1:${Buffer.alloc(16).toString('base64')}`)).toThrow(ConfigError);
    expect(() => parseEncryptionKeys(`k1:${key(1)},k1:${key(2)}`)).toThrow(/unique/);
  });
});
