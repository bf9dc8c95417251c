import type { EntityManager } from 'typeorm';
import type { MessageEdit, MessageEdits } from '../templates/template-set';
import { MessageOverrideEntity } from './message-override.entity';

/** The texts of a template folder edited in the browser, to apply over its files (locale → key → edit). */
export async function loadMessageEdits(manager: EntityManager, folder: string): Promise<MessageEdits> {
  const rows = await manager.find(MessageOverrideEntity, { where: { folder }, order: { id: 'ASC' } });
  return editsOf(rows);
}

/** Rows as edits: a row with no text carries only a review of the file's text. */
export function editsOf(rows: Pick<MessageOverrideEntity, 'locale' | 'messageKey' | 'text' | 'short' | 'reviewDecision' | 'reviewHash'>[]): MessageEdits {
  const edits = new Map<string, Map<string, MessageEdit>>();
  for (const row of rows) {
    if (!edits.has(row.locale)) edits.set(row.locale, new Map());
    const review = row.reviewDecision && row.reviewHash ? { decision: row.reviewDecision, hash: row.reviewHash } : undefined;
    edits.get(row.locale)!.set(row.messageKey, { text: row.text, short: row.text === null ? null : row.short, ...(review ? { review } : {}) });
  }
  return edits;
}
