/**
 * A meeting's own confirm items from `meeting add|update --confirm "…"`
 * (docs/meetings.md#the-meetings-own-confirm-items): each question gets an id
 * from its first words and a short hash of its whole text, so the same
 * question keeps its id across edits and a changed text is a new item (an
 * answer to the old wording does not count for the new one).
 */
import { createHash } from 'node:crypto';
import type { MeetingConfirmItem } from '../../model/meeting.js';

/** `Maket đã treo đúng nội dung: «…»?` → `maket-da-treo-1a2b`. */
export function confirmItemId(question: string): string {
  const words = question
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let stem = '';
  for (const w of words) {
    const next = stem ? `${stem}-${w}` : w;
    if (next.length > 16) break;
    stem = next;
  }
  const hash = createHash('sha256').update(question.trim()).digest('hex').slice(0, 4);
  return `${stem || 'c'}-${hash}`.slice(0, 40);
}

/** The items of --confirm (required) then --confirm-advisory, each question once. */
export function confirmItems(required: readonly string[], advisory: readonly string[]): MeetingConfirmItem[] {
  const items: MeetingConfirmItem[] = [];
  const seen = new Set<string>();
  const add = (question: string, isRequired: boolean) => {
    const q = question.trim();
    if (!q) return;
    const id = confirmItemId(q);
    if (seen.has(id)) return;
    seen.add(id);
    items.push({ id, question: q, ...(isRequired ? {} : { required: false }) });
  };
  for (const q of required) add(q, true);
  for (const q of advisory) add(q, false);
  return items;
}
