import { EntityManager, Not, IsNull } from 'typeorm';
import type { MessageEdit, MessageEdits } from '../templates/template-set';
import { MessageOverrideEntity } from './message-override.entity';

/** The texts of a template folder edited in the browser, to apply over its files (locale → key → edit). */
export async function loadMessageEdits(manager: EntityManager, folder: string): Promise<MessageEdits> {
  const rows = await manager.find(MessageOverrideEntity, { where: { folder, text: Not(IsNull()) }, order: { id: 'ASC' } });
  return editsOf(rows);
}

export function editsOf(rows: Pick<MessageOverrideEntity, 'locale' | 'messageKey' | 'text' | 'short'>[]): MessageEdits {
  const edits = new Map<string, Map<string, MessageEdit>>();
  for (const row of rows) {
    if (row.text === null) continue;
    if (!edits.has(row.locale)) edits.set(row.locale, new Map());
    edits.get(row.locale)!.set(row.messageKey, { text: row.text, short: row.short });
  }
  return edits;
}
