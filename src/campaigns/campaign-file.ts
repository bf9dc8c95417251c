import { readFileSync } from 'node:fs';
import { displayPath, yamlMessage } from '../common/file-errors';
import { LineCounter, parseDocument } from 'yaml';
import { FieldError, formatFieldError } from '../common/object-reader';
import { CampaignDefinition, validateCampaign } from './campaign-definition';

export interface CampaignFileError extends FieldError {
  file: string;
  line?: number;
}

export function formatCampaignFileError(e: CampaignFileError): string {
  return `${e.file}${e.line ? `:${e.line}` : ''}: ${formatFieldError(e)}`;
}

export type CampaignFileResult =
  | { ok: true; campaign: CampaignDefinition; raw: unknown; source: string }
  | { ok: false; errors: CampaignFileError[] };

/** `members[3].timezone` → ['members', 3, 'timezone'], to find the field's line in the YAML. */
function pathSegments(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

/** Parses and validates a campaign file; every error carries the file, its line and the field. */
export function readCampaignFile(path: string, secrets: NodeJS.ProcessEnv = {}): CampaignFileResult {
  const file = displayPath(path);
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, errors: [{ file, path: '', message: `cannot read: ${(e as Error).message}` }] };
  }
  return parseCampaignSource(source, file, secrets);
}

/** `secrets`: SecretStore.asEnv(), never process.env (only PUBLISHER_SECRET_* and SECRETS_FILE names may be used). */
export function parseCampaignSource(source: string, file: string, secrets: NodeJS.ProcessEnv = {}): CampaignFileResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({ file, line: e.linePos?.[0].line, path: '', message: `malformed YAML: ${yamlMessage(e.message)}` })),
    };
  }
  const raw = doc.toJS();
  const result = validateCampaign(raw, secrets);
  if (!result.ok) {
    const errors = result.errors.map((e) => {
      const node = doc.getIn(pathSegments(e.path), true) as { range?: number[] } | undefined;
      const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
      return { ...e, file, line };
    });
    return { ok: false, errors };
  }
  return { ok: true, campaign: result.campaign, raw, source };
}
