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
  logFormat: 'json' | 'text';
  /** smtp://user:pass@host:port — where reminders and alerts go out; unset: no mail is sent. */
  smtpUrl?: string;
  mailFrom: string;
  /** The service's address as users reach it, for links in e-mails. */
  publicUrl: string;
  /** Background jobs (deadlines, reminders, dispatcher); tests drive them by hand. */
  runJobs: boolean;
  publishing: {
    /** A due post older than this (after a pause or downtime) is missed, never sent late. */
    graceSeconds: number;
    /** How often the dispatcher looks for due posts (contract: at least every 15 s). */
    intervalMs: number;
    /** How long a claim holds; a crashed dispatcher's posts are taken over after it. */
    leaseSeconds: number;
    concurrency: number;
    maxAttempts: number;
    timeoutMs: number;
    retryBaseMs: number;
  };
  /** NAME=value lines with publisher secrets, besides the environment. */
  secretsFile?: string;
  /** A campaign planning more posts is refused (400) before anything is written. */
  maxPostsPerCampaign: number;
}

export class ConfigError extends Error {}

const SIZE = /^(\d+)\s*(b|kb|mb)?$/i;

function parseSize(value: string): number | undefined {
  const m = SIZE.exec(value.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase();
  return Number(m[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
}

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
  const bodyLimitBytes = env.BODY_LIMIT ? parseSize(env.BODY_LIMIT) : 1024 * 1024;
  if (bodyLimitBytes === undefined) problems.push(`BODY_LIMIT: "${env.BODY_LIMIT}" must be a size such as 1mb, 512kb or 10000`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL: must start with postgres:// (or leave it unset for SQLite)');
  const token = env.BOOTSTRAP_ADMIN_TOKEN || undefined;
  if (token && token.length < 16) problems.push('BOOTSTRAP_ADMIN_TOKEN: must be at least 16 characters');
  const logFormat = (env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'text')) as AppConfig['logFormat'];
  if (!['json', 'text'].includes(logFormat)) problems.push('LOG_FORMAT: must be json or text');
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL: must start with smtp:// or smtps://');
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, '');
  if (!/^https?:\/\//.test(publicUrl)) problems.push('PUBLIC_URL: must be an http(s) URL');
  if (env.JOBS && !['on', 'off'].includes(env.JOBS)) problems.push('JOBS: must be on or off');
  const publishing = {
    graceSeconds: int('PUBLISH_GRACE_SECONDS', 900, 0, 7 * 86400),
    intervalMs: int('DISPATCH_INTERVAL_MS', 5000, 100, 15000),
    leaseSeconds: int('LEASE_SECONDS', 60, 5, 110),
    concurrency: int('PUBLISH_CONCURRENCY', 8, 1, 256),
    maxAttempts: int('PUBLISH_MAX_ATTEMPTS', 6, 1, 50),
    timeoutMs: int('PUBLISH_TIMEOUT_MS', 10000, 100, 60000),
    retryBaseMs: int('PUBLISH_RETRY_BASE_MS', 2000, 10, 600000),
  };
  const maxPostsPerCampaign = int('MAX_POSTS_PER_CAMPAIGN', 250_000, 1, 10_000_000);
  const secretsFile = env.SECRETS_FILE || undefined;
  if (secretsFile && !existsSync(secretsFile)) problems.push(`SECRETS_FILE: ${secretsFile} does not exist`);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return {
    port,
    databasePath: resolve(env.DATABASE_PATH || 'data/scheduler.sqlite'),
    databaseUrl,
    bootstrapAdminToken: token,
    bodyLimitBytes: bodyLimitBytes!,
    campaignsDir: resolve(env.CAMPAIGNS_DIR || 'campaigns'),
    templatesDir: resolve(env.TEMPLATES_DIR || 'templates'),
    rateLimitPerMinute,
    logFormat,
    smtpUrl,
    mailFrom: env.MAIL_FROM || 'NATC SEE scheduler <no-reply@localhost>',
    publicUrl,
    runJobs: env.JOBS !== 'off',
    publishing,
    secretsFile,
    maxPostsPerCampaign,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
