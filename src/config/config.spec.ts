import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has the contract defaults: port 3000, data/scheduler.sqlite, a 1 MB body limit', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databasePath).toMatch(/data\/scheduler\.sqlite$/);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.bodyLimitBytes).toBe(1024 * 1024);
  });

  it('reads Bluesky response figures from the public AppView unless BLUESKY_APPVIEW_URL names another', () => {
    expect(loadConfig({}).responses).toEqual({ blueskyAppviewUrl: 'https://public.api.bsky.app' });
    expect(loadConfig({ BLUESKY_APPVIEW_URL: 'http://127.0.0.1:2584/' }).responses).toEqual({ blueskyAppviewUrl: 'http://127.0.0.1:2584' });
    expect(() => loadConfig({ BLUESKY_APPVIEW_URL: 'appview.local' })).toThrow(/BLUESKY_APPVIEW_URL: must be an http\(s\) URL/);
  });

  it('refuses campaigns over 250,000 posts unless MAX_POSTS_PER_CAMPAIGN says otherwise', () => {
    expect(loadConfig({}).maxPostsPerCampaign).toBe(250_000);
    expect(loadConfig({ MAX_POSTS_PER_CAMPAIGN: '1000' }).maxPostsPerCampaign).toBe(1000);
  });

  it('keeps images in data/media up to 20 MB unless MEDIA_DIR / MEDIA_MAX_BYTES say otherwise', () => {
    expect(loadConfig({}).media).toEqual({ dir: expect.stringMatching(/data\/media$/), maxBytes: 20 * 1024 * 1024 });
    expect(loadConfig({ MEDIA_DIR: '/srv/media', MEDIA_MAX_BYTES: '5mb' }).media).toEqual({ dir: '/srv/media', maxBytes: 5 * 1024 * 1024 });
    expect(() => loadConfig({ MEDIA_MAX_BYTES: 'huge' })).toThrow(/MEDIA_MAX_BYTES: "huge" must be a size/);
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

  describe('the dispatcher lease against one claimed batch', () => {
    it('claims by default as many posts as its lease covers, at most 50', () => {
      expect(loadConfig({}).publishing).toMatchObject({ leaseSeconds: 60, concurrency: 16, timeoutMs: 10000, claimBatch: 50 });
      expect(loadConfig({ PUBLISH_CONCURRENCY: '8' }).publishing.claimBatch).toBe(48);
      expect(loadConfig({ PUBLISH_TIMEOUT_MS: '2000' }).publishing.claimBatch).toBe(50);
      expect(loadConfig({ LEASE_SECONDS: '5', PUBLISH_TIMEOUT_MS: '2000' }).publishing.claimBatch).toBe(32);
    });

    it('accepts a batch whose sends, a few at a time, end within the lease', () => {
      expect(loadConfig({ CLAIM_BATCH: '24', PUBLISH_CONCURRENCY: '8', PUBLISH_TIMEOUT_MS: '20000', LEASE_SECONDS: '60' }).publishing.claimBatch).toBe(24);
    });

    it.each([
      [{ CLAIM_BATCH: '50', PUBLISH_CONCURRENCY: '8' }, ['CLAIM_BATCH', 'PUBLISH_CONCURRENCY', 'PUBLISH_TIMEOUT_MS', 'LEASE_SECONDS']],
      [{ CLAIM_BATCH: '25', PUBLISH_CONCURRENCY: '8', PUBLISH_TIMEOUT_MS: '20000', LEASE_SECONDS: '60' }, ['CLAIM_BATCH', 'LEASE_SECONDS']],
      [{ LEASE_SECONDS: '5' }, ['PUBLISH_TIMEOUT_MS', 'LEASE_SECONDS']],
      [{ LEASE_SECONDS: '30', PUBLISH_TIMEOUT_MS: '30001' }, ['PUBLISH_TIMEOUT_MS', 'LEASE_SECONDS']],
      // The outcome's wait for its group commit counts too.
      [{ LEASE_SECONDS: '10', PUBLISH_TIMEOUT_MS: '5000', PUBLISH_COMMIT_MS: '5001' }, ['PUBLISH_TIMEOUT_MS', 'PUBLISH_COMMIT_MS', 'LEASE_SECONDS']],
    ])('refuses %j: the lease would run out before the batch is sent', (env, names) => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      try {
        loadConfig(env);
      } catch (error) {
        for (const name of names) expect((error as Error).message).toContain(name);
      }
    });

    it('commits outcomes in groups of up to 64, each waiting at most 5 ms, unless told otherwise', () => {
      expect(loadConfig({}).publishing).toMatchObject({ commitDelayMs: 5, commitBatch: 64 });
      expect(loadConfig({ PUBLISH_COMMIT_MS: '0', PUBLISH_COMMIT_BATCH: '1' }).publishing).toMatchObject({ commitDelayMs: 0, commitBatch: 1 });
      expect(() => loadConfig({ PUBLISH_COMMIT_BATCH: '0' })).toThrow(/PUBLISH_COMMIT_BATCH/);
    });

    it('refuses a CLAIM_BATCH that is not a positive integer', () => {
      expect(() => loadConfig({ CLAIM_BATCH: '0' })).toThrow(/CLAIM_BATCH/);
    });
  });
});
