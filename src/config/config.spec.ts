import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has the contract defaults: port 3000, data/scheduler.sqlite, a 1 MB body limit', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databasePath).toMatch(/data\/scheduler\.sqlite$/);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.bodyLimitBytes).toBe(1024 * 1024);
  });

  it('refuses campaigns over 250,000 posts unless MAX_POSTS_PER_CAMPAIGN says otherwise', () => {
    expect(loadConfig({}).maxPostsPerCampaign).toBe(250_000);
    expect(loadConfig({ MAX_POSTS_PER_CAMPAIGN: '1000' }).maxPostsPerCampaign).toBe(1000);
  });

  it.each(['0', 'lots', '1.5', '-3', '20000000'])('stops at start on MAX_POSTS_PER_CAMPAIGN=%s, naming it', (value) => {
    expect(() => loadConfig({ MAX_POSTS_PER_CAMPAIGN: value })).toThrow(/MAX_POSTS_PER_CAMPAIGN: .* must be an integer from 1 to 10000000/);
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
});
