import { readFileSync } from 'node:fs';

/**
 * Only environment variables with this prefix can be publisher secrets: a campaign names the variable
 * whose value is sent to a URL it also names, so any other name (BOOTSTRAP_ADMIN_TOKEN, DATABASE_URL…)
 * would let a secretariat token send the service's own configuration anywhere (contract "Publishing").
 */
export const PUBLISHER_SECRET_PREFIX = 'PUBLISHER_SECRET_';

/**
 * Publisher secrets (HMAC keys, access tokens) by name: from SECRETS_FILE (lines of NAME=value, any
 * name) or from environment variables named PUBLISHER_SECRET_*. Never from the campaign file or the
 * database; never logged. Other environment variables are not even read, so a campaign naming one is
 * refused the same way whether or not it is set.
 */
export class SecretStore {
  private readonly values = new Map<string, string>();

  constructor(env: NodeJS.ProcessEnv, file?: string) {
    if (file) {
      for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
        const match = /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
        if (match && !line.trimStart().startsWith('#')) this.values.set(match[1], match[2].replace(/^(['"])(.*)\1$/, '$2'));
      }
    }
    for (const [name, value] of Object.entries(env)) {
      if (name.startsWith(PUBLISHER_SECRET_PREFIX) && value !== undefined && value !== '') this.values.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** For campaign validation: every name a publisher refers to must resolve, and only these do. */
  asEnv(): NodeJS.ProcessEnv {
    return Object.fromEntries(this.values);
  }
}
