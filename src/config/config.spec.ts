import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has the contract defaults: port 3000, data/scheduler.sqlite, a 1 MB body limit', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databasePath).toMatch(/data\/scheduler\.sqlite$/);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.bodyLimitBytes).toBe(1024 * 1024);
  });

  it.each([
    ['BODY_LIMIT', '512kb', { bodyLimitBytes: 512 * 1024 }],
    ['BODY_LIMIT', '2mb', { bodyLimitBytes: 2 * 1024 * 1024 }],
    ['PORT', '8080', { port: 8080 }],
    ['DATABASE_URL', 'postgres://u@db:5432/scheduler', { databaseUrl: 'postgres://u@db:5432/scheduler' }],
  ])('reads %s=%s', (name, value, expected) => {
    expect(loadConfig({ [name]: value })).toMatchObject(expected);
  });

  it('names every wrong variable at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', BODY_LIMIT: 'huge', DATABASE_URL: 'mysql://x', BOOTSTRAP_ADMIN_TOKEN: 'short' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', BODY_LIMIT: 'huge', DATABASE_URL: 'mysql://x', BOOTSTRAP_ADMIN_TOKEN: 'short' });
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ['PORT', 'BODY_LIMIT', 'DATABASE_URL', 'BOOTSTRAP_ADMIN_TOKEN']) expect(message).toContain(`${name}:`);
    }
  });

  it('refuses a BOOTSTRAP_ADMIN_TOKEN shorter than 24 characters, naming its length', () => {
    expect(() => loadConfig({ BOOTSTRAP_ADMIN_TOKEN: 'a'.repeat(23) })).toThrow('BOOTSTRAP_ADMIN_TOKEN: must be at least 24 characters (it has 23)');
    expect(loadConfig({ BOOTSTRAP_ADMIN_TOKEN: 'a'.repeat(24) }).bootstrapAdminToken).toBe('a'.repeat(24));
  });

  it('limits bad tokens to 20 a minute unless BAD_TOKEN_LIMIT_PER_MINUTE says otherwise', () => {
    expect(loadConfig({}).badTokenLimitPerMinute).toBe(20);
    expect(loadConfig({ BAD_TOKEN_LIMIT_PER_MINUTE: '5' }).badTokenLimitPerMinute).toBe(5);
    expect(() => loadConfig({ BAD_TOKEN_LIMIT_PER_MINUTE: '0' })).toThrow('BAD_TOKEN_LIMIT_PER_MINUTE:');
    expect(() => loadConfig({ BAD_TOKEN_LIMIT_PER_MINUTE: 'many' })).toThrow('BAD_TOKEN_LIMIT_PER_MINUTE:');
  });
});
