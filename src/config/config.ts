import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface AppConfig {
  port: number;
  /** SQLite file (the default, one process) … */
  databasePath: string;
  /** … or PostgreSQL (several replicas). */
  databaseUrl?: string;
  bootstrapAdminToken?: string;
  bodyLimitBytes: number;
  campaignsDir: string;
  templatesDir: string;
  /** Requests per minute per token on the API. */
  rateLimitPerMinute: number;
  /**
   * Bad tokens (API bearer, calendar `?token=`, sign-in form, session cookie) an address, or one
   * token from anywhere, may present per minute; past it every request with a token gets 429.
   */
  badTokenLimitPerMinute: number;
  logFormat: 'json' | 'text';
  /** smtp://user:pass@host:port — where reminders and alerts go out; unset: no mail is sent. */
  smtpUrl?: string;
  mailFrom: string;
  /** The service's address as users reach it, for links in e-mails. */
  publicUrl: string;
  /** JOBS: whether the service runs the background jobs (deadlines, reminders, dispatcher); the CLI never does. */
  runJobs: boolean;
  publishing: {
    /** A due post older than this (after a pause or downtime) is missed, never sent late. */
    graceSeconds: number;
    /** How often the dispatcher looks for due posts (contract: at least every 15 s). */
    intervalMs: number;
    /** How long a claim holds; a crashed dispatcher's posts are taken over after it. */
    leaseSeconds: number;
    /** Posts claimed at once; sent `concurrency` at a time, they must all be sent within the lease. */
    claimBatch: number;
    concurrency: number;
    maxAttempts: number;
    timeoutMs: number;
    retryBaseMs: number;
    /** Group commit of outcomes: the longest one waits for others to share its transaction … */
    commitDelayMs: number;
    /** … or until this many wait. */
    commitBatch: number;
  };
  /** NAME=value lines with publisher secrets, besides the environment. */
  secretsFile?: string;
  /** A campaign planning more posts is refused (400) before anything is written. */
  maxPostsPerCampaign: number;
  /** MEDIA_DIR: uploaded images, one file per content hash; MEDIA_MAX_BYTES: larger uploads → 413. */
  media: { dir: string; maxBytes: number };
  /** Connected accounts (issue 14): token encryption and each network's OAuth endpoints. */
  accounts?: AccountsConfig;
  /** ALERT_DAYS (default 7): how many days before an account's token ends its staff are alerted. */
  accountAlertDays?: number;
  /** Where response figures are read (issue 15); unset: the networks' public services. */
  responses?: ResponsesConfig;
}

export interface ResponsesConfig {
  /** BLUESKY_APPVIEW_URL: the AppView that counts Bluesky likes, reposts, replies and quotes (default the public one). */
  blueskyAppviewUrl: string;
}

export interface AccountsConfig {
  /** TOKEN_ENCRYPTION_KEY (32 bytes); unset: no account can be connected. */
  encryptionKey?: Buffer;
  /** TOKEN_ENCRYPTION_KEY_PREVIOUS: still decrypts rows sealed before a rotation; they are re-sealed at start. */
  previousEncryptionKey?: Buffer;
  x: XEndpoints;
  /** Facebook Pages and the Instagram accounts linked to them (one Meta app, Facebook Login); absent: not offered. */
  facebook?: MetaEndpoints;
  /** LinkedIn organisation pages (issue 14); absent: LinkedIn accounts cannot be connected. */
  linkedin?: LinkedInEndpoints;
}

/** Facebook Login's dialog and the Graph API, both with the API version in the path (e.g. …/v26.0). */
export interface MetaEndpoints {
  authorizeUrl: string;
  graphUrl: string;
  clientIdSecret: string;
  clientSecretSecret: string;
}

/** LINKEDIN_AUTH_URL, LINKEDIN_TOKEN_URL, LINKEDIN_API_URL (tests: a loopback fake); LINKEDIN_VERSION the `LinkedIn-Version` sent. */
export interface LinkedInEndpoints extends XEndpoints {
  /** YYYYMM: LinkedIn's versioned REST API refuses a request without it. */
  version: string;
}

/** Base URLs are configurable so that tests point them at a loopback fake. */
export interface XEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  apiUrl: string;
  /** Names of the publisher secrets holding the app's OAuth 2.0 client id and (confidential clients) secret. */
  clientIdSecret: string;
  clientSecretSecret: string;
}

export class ConfigError extends Error {}

const MIN_ADMIN_TOKEN_LENGTH = 24;

const SIZE = /^(\d+)\s*(b|kb|mb)?$/i;

function parseSize(value: string): number | undefined {
  const m = SIZE.exec(value.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase();
  return Number(m[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
}

type LeaseSettings = Pick<AppConfig['publishing'], 'leaseSeconds' | 'concurrency' | 'timeoutMs' | 'claimBatch'> & Partial<Pick<AppConfig['publishing'], 'commitDelayMs'>>;

/** How long sending a claimed batch may take: its posts go `concurrency` at a time, each up to the timeout. */
export function batchSendMs(p: LeaseSettings): number {
  return Math.ceil(p.claimBatch / p.concurrency) * p.timeoutMs;
}

/** The default batch: as many rounds of sends as the lease covers, at most 50 posts. */
export function fittingClaimBatch(leaseSeconds: number, concurrency: number, timeoutMs: number): number {
  return Math.min(50, Math.floor((leaseSeconds * 1000) / timeoutMs) * concurrency);
}

/**
 * A lease that runs out before its batch is sent lets another dispatcher take posts over while this
 * one still holds them in memory: refused at start rather than discovered as duplicate sends.
 */
function leaseProblems(p: LeaseSettings, batchGiven: boolean): string[] {
  if (p.timeoutMs > p.leaseSeconds * 1000) {
    return [`PUBLISH_TIMEOUT_MS, LEASE_SECONDS: one send may take ${p.timeoutMs} ms, longer than the ${p.leaseSeconds} s lease; raise LEASE_SECONDS or lower PUBLISH_TIMEOUT_MS`];
  }
  // A send's outcome waits for its group commit while the lease still has to hold.
  if (p.timeoutMs + (p.commitDelayMs ?? 0) > p.leaseSeconds * 1000) {
    return [`PUBLISH_TIMEOUT_MS, PUBLISH_COMMIT_MS, LEASE_SECONDS: a send (${p.timeoutMs} ms) and the wait for its commit (${p.commitDelayMs} ms) do not fit in the ${p.leaseSeconds} s lease`];
  }
  if (batchGiven && batchSendMs(p) > p.leaseSeconds * 1000) {
    return [`CLAIM_BATCH, PUBLISH_CONCURRENCY, PUBLISH_TIMEOUT_MS, LEASE_SECONDS: ${p.claimBatch} posts, ${p.concurrency} at a time, ${p.timeoutMs} ms each, may take ${batchSendMs(p)} ms, longer than the ${p.leaseSeconds} s lease; at most ${fittingClaimBatch(p.leaseSeconds, p.concurrency, p.timeoutMs)} fit`];
  }
  return [];
}

/** The networks' APIs when nothing is configured (Graph v26.0, LinkedIn's versioned REST API 202511). */
const GRAPH_URL = 'https://graph.facebook.com/v26.0';
const LINKEDIN_API = { apiUrl: 'https://api.linkedin.com', version: '202511' };

/** Reads and checks the environment once at start: a wrong variable stops the process with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`${name}: "${raw}" must be an integer from ${min} to ${max}`);
    return n;
  };
  const port = int('PORT', 3000, 0, 65535);
  const rateLimitPerMinute = int('RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000);
  const badTokenLimitPerMinute = int('BAD_TOKEN_LIMIT_PER_MINUTE', 20, 1, 1_000_000);
  const bodyLimitBytes = env.BODY_LIMIT ? parseSize(env.BODY_LIMIT) : 1024 * 1024;
  if (bodyLimitBytes === undefined) problems.push(`BODY_LIMIT: "${env.BODY_LIMIT}" must be a size such as 1mb, 512kb or 10000`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL: must start with postgres:// (or leave it unset for SQLite)');
  const token = env.BOOTSTRAP_ADMIN_TOKEN || undefined;
  // As hard to guess as the tokens the service makes itself is too much to ask of a person; 24
  // characters of a password generator keep guessing hopeless within the bad-token limit.
  if (token && token.length < MIN_ADMIN_TOKEN_LENGTH) problems.push(`BOOTSTRAP_ADMIN_TOKEN: must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (it has ${token.length})`);
  const logFormat = (env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'text')) as AppConfig['logFormat'];
  if (!['json', 'text'].includes(logFormat)) problems.push('LOG_FORMAT: must be json or text');
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL: must start with smtp:// or smtps://');
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, '');
  if (!/^https?:\/\//.test(publicUrl)) problems.push('PUBLIC_URL: must be an http(s) URL');
  if (env.JOBS && !['on', 'off'].includes(env.JOBS)) problems.push('JOBS: must be on or off');
  const known = problems.length;
  const leaseSeconds = int('LEASE_SECONDS', 60, 5, 110);
  const concurrency = int('PUBLISH_CONCURRENCY', 16, 1, 256);
  const timeoutMs = int('PUBLISH_TIMEOUT_MS', 10000, 100, 60000);
  const claimBatch = env.CLAIM_BATCH ? int('CLAIM_BATCH', 0, 1, 1000) : fittingClaimBatch(leaseSeconds, concurrency, timeoutMs);
  const commitDelayMs = int('PUBLISH_COMMIT_MS', 5, 0, 10000);
  // Compared only once each of the four is a valid number.
  if (problems.length === known) problems.push(...leaseProblems({ leaseSeconds, concurrency, timeoutMs, claimBatch, commitDelayMs }, Boolean(env.CLAIM_BATCH)));
  const publishing = {
    graceSeconds: int('PUBLISH_GRACE_SECONDS', 900, 0, 7 * 86400),
    intervalMs: int('DISPATCH_INTERVAL_MS', 5000, 100, 15000),
    leaseSeconds,
    claimBatch,
    concurrency,
    maxAttempts: int('PUBLISH_MAX_ATTEMPTS', 6, 1, 50),
    timeoutMs,
    retryBaseMs: int('PUBLISH_RETRY_BASE_MS', 2000, 10, 600000),
    commitDelayMs,
    commitBatch: int('PUBLISH_COMMIT_BATCH', 64, 1, 1000),
  };
  const maxPostsPerCampaign = int('MAX_POSTS_PER_CAMPAIGN', 250_000, 1, 10_000_000);
  const mediaMaxBytes = env.MEDIA_MAX_BYTES ? parseSize(env.MEDIA_MAX_BYTES) : 20 * 1024 * 1024;
  if (mediaMaxBytes === undefined) problems.push(`MEDIA_MAX_BYTES: "${env.MEDIA_MAX_BYTES}" must be a size such as 20mb, 512kb or 10000`);
  const secretsFile = env.SECRETS_FILE || undefined;
  if (secretsFile && !existsSync(secretsFile)) problems.push(`SECRETS_FILE: ${secretsFile} does not exist`);
  const accounts = accountsConfig(env, problems);
  const accountAlertDays = int('ALERT_DAYS', 7, 1, 60);
  const blueskyAppviewUrl = (env.BLUESKY_APPVIEW_URL || 'https://public.api.bsky.app').replace(/\/$/, '');
  if (!/^https?:\/\//.test(blueskyAppviewUrl)) problems.push('BLUESKY_APPVIEW_URL: must be an http(s) URL');
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return {
    accounts,
    accountAlertDays,
    responses: { blueskyAppviewUrl },
    port,
    databasePath: resolve(env.DATABASE_PATH || 'data/scheduler.sqlite'),
    databaseUrl,
    bootstrapAdminToken: token,
    bodyLimitBytes: bodyLimitBytes!,
    campaignsDir: resolve(env.CAMPAIGNS_DIR || 'campaigns'),
    templatesDir: resolve(env.TEMPLATES_DIR || 'templates'),
    rateLimitPerMinute,
    badTokenLimitPerMinute,
    logFormat,
    smtpUrl,
    mailFrom: env.MAIL_FROM || 'NATC SEE scheduler <no-reply@localhost>',
    publicUrl,
    runJobs: env.JOBS !== 'off',
    publishing,
    secretsFile,
    maxPostsPerCampaign,
    media: { dir: resolve(env.MEDIA_DIR || 'data/media'), maxBytes: mediaMaxBytes! },
  };
}

/** A key is base64 of exactly 32 random bytes (AES-256); anything else stops the start, naming the variable. */
function encryptionKey(env: NodeJS.ProcessEnv, name: string, problems: string[]): Buffer | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32 || key.toString('base64') !== raw.trim()) {
    problems.push(`${name}: must be base64 of 32 random bytes (openssl rand -base64 32)`);
    return undefined;
  }
  return key;
}

function accountsConfig(env: NodeJS.ProcessEnv, problems: string[]): AccountsConfig {
  const url = (name: string, fallback: string) => {
    const value = (env[name] || fallback).replace(/\/$/, '');
    if (!/^https?:\/\//.test(value)) problems.push(`${name}: must be an http(s) URL`);
    return value;
  };
  return {
    encryptionKey: encryptionKey(env, 'TOKEN_ENCRYPTION_KEY', problems),
    previousEncryptionKey: encryptionKey(env, 'TOKEN_ENCRYPTION_KEY_PREVIOUS', problems),
    x: {
      authorizeUrl: url('X_AUTH_URL', 'https://x.com/i/oauth2/authorize'),
      tokenUrl: url('X_TOKEN_URL', 'https://api.x.com/2/oauth2/token'),
      apiUrl: url('X_API_URL', 'https://api.x.com'),
      clientIdSecret: env.X_CLIENT_ID_SECRET_NAME || 'PUBLISHER_SECRET_X_CLIENT_ID',
      clientSecretSecret: env.X_CLIENT_SECRET_SECRET_NAME || 'PUBLISHER_SECRET_X_CLIENT_SECRET',
    },
    // Graph API v26.0 (released 2026-07-29, the latest in the changelog read on 2026-11-30).
    facebook: {
      authorizeUrl: url('FACEBOOK_AUTH_URL', 'https://www.facebook.com/v26.0/dialog/oauth'),
      graphUrl: url('FACEBOOK_GRAPH_URL', GRAPH_URL),
      clientIdSecret: 'PUBLISHER_SECRET_FACEBOOK_CLIENT_ID',
      clientSecretSecret: 'PUBLISHER_SECRET_FACEBOOK_CLIENT_SECRET',
    },
    linkedin: linkedinEndpoints(env, url, problems),
  };
}

function linkedinEndpoints(env: NodeJS.ProcessEnv, url: (name: string, fallback: string) => string, problems: string[]): LinkedInEndpoints {
  const version = env.LINKEDIN_VERSION || LINKEDIN_API.version;
  if (!/^20\d{4}$/.test(version)) problems.push(`LINKEDIN_VERSION: "${version}" must be a month such as 202511`);
  return {
    authorizeUrl: url('LINKEDIN_AUTH_URL', 'https://www.linkedin.com/oauth/v2/authorization'),
    tokenUrl: url('LINKEDIN_TOKEN_URL', 'https://www.linkedin.com/oauth/v2/accessToken'),
    apiUrl: url('LINKEDIN_API_URL', LINKEDIN_API.apiUrl),
    version,
    clientIdSecret: 'PUBLISHER_SECRET_LINKEDIN_CLIENT_ID',
    clientSecretSecret: 'PUBLISHER_SECRET_LINKEDIN_CLIENT_SECRET',
  };
}

/** Where the Graph API is, for publishers and collectors alike: as configured, else its default (a config without `accounts`). */
export function graphUrlOf(config: Pick<AppConfig, 'accounts'>): string {
  return config.accounts?.facebook?.graphUrl ?? GRAPH_URL;
}

/** LinkedIn's REST API and version, as configured, else the defaults. */
export function linkedinApiOf(config: Pick<AppConfig, 'accounts'>): Pick<LinkedInEndpoints, 'apiUrl' | 'version'> {
  return config.accounts?.linkedin ?? LINKEDIN_API;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
