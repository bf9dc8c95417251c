import { readFileSync } from 'node:fs';

/**
 * Publisher secrets (HMAC keys, access tokens) by name: from the environment, or from SECRETS_FILE
 * (lines of NAME=value). Never from the campaign file or the database; never logged.
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
    for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== '') this.values.set(name, value);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** For campaign validation: every name a publisher refers to must resolve. */
  asEnv(): NodeJS.ProcessEnv {
    return Object.fromEntries(this.values);
  }
}
