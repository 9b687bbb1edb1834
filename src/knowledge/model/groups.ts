import type { DocumentGroup } from '../procedure.ts';
import { isHeadingItem, isNoteItem, itemText, readItem, tidyText } from './items.ts';
import type { GroupKind, ModelGroup, ModelItem } from './schema.ts';

/**
 * The record's document groups as the model's groups: each group knows whether it lists papers to submit or to
 * show; headings listed as items ("a) Trường hợp … gồm:") open a sub-group whose condition every item under it
 * inherits; notes and introductions are attached to their group, never listed as papers; an empty heading is kept
 * only as a note.
 */

export function groupKind(title: string | null): GroupKind {
  if (!title) return 'submit';
  if (/xuất\s+trình/iu.test(title)) return 'show';
  if (/phải\s+nộp|nộp|thành\s+phần|hồ\s+sơ|chứng\s+từ/iu.test(title)) return 'submit';
  return 'other';
}

function cleanTitle(title: string | null): string | null {
  if (!title) return null;
  const t = tidyText(title).replace(/^[*\-–•\s]+/, '').replace(/[:\s]+$/, '').trim();
  return t || null;
}

/** "Trường hợp đăng ký thường trú vào chỗ ở thuê" → "đăng ký thường trú vào chỗ ở thuê"; a plain heading → null. */
function headingCondition(title: string | null): string | null {
  if (!title) return null;
  const m = /^(?:[a-zđ0-9]{1,2}[.)]\s*)?(?:\*\s*)?(?:trong\s+)?(?:trường\s+hợp|nếu|đối\s+với(?:\s+trường\s+hợp)?)\s+(.+?)(?:\s+thì\s+.*|,?\s*(?:hồ\s+sơ\s+)?gồm(?:\s+có)?(?:\s+các\s+giấy\s+tờ\s+sau)?)?[:\s]*$/iu.exec(tidyText(title));
  return m ? m[1]!.replace(/[.,;:]+$/, '').trim() : null;
}

export function modelDocuments(groups: DocumentGroup[]): ModelGroup[] {
  const out: ModelGroup[] = [];
  for (const g of groups) {
    const title = cleanTitle(g.title);
    // A heading that is neither "phải nộp" nor "xuất trình" names a case of the procedure ("Đăng ký thường trú vào
    // chỗ ở hợp pháp do thuê, mượn, ở nhờ"): its papers are submitted by those in that case.
    const named = groupKind(title) === 'other';
    const kind: GroupKind = named ? 'submit' : groupKind(title);
    const when = headingCondition(title) ?? (named ? title : null);
    let current: ModelGroup = { kind, title, when, notes: [], items: [] };
    out.push(current);
    const seen = new Set<string>();
    for (const d of g.documents) {
      const text = itemText(d.name);
      if (!text) continue;
      if (isHeadingItem(text)) {
        // A sub-heading: the items after it belong to its case
        const heading = text.replace(/:$/, '').trim();
        current = { kind, title: heading, when: headingCondition(heading) ?? current.when, notes: [], items: [] };
        out.push(current);
        continue;
      }
      if (isNoteItem(text, d.originals, d.copies)) {
        current.notes.push(text);
        continue;
      }
      const key = text.toLowerCase();
      if (seen.has(key)) continue; // the listing repeats some papers within a group
      seen.add(key);
      const r = readItem(text);
      const item: ModelItem = {
        name: r.name,
        text,
        originals: d.originals,
        copies: d.copies,
        form: d.form,
        when: r.when,
        alternatives: r.alternatives,
        notes: r.notes,
      };
      current.items.push(item);
    }
  }
  // A heading with nothing under it says something about the papers around it: keep it as a note of the group before.
  const kept: ModelGroup[] = [];
  for (const g of out) {
    if (g.items.length) kept.push(g);
    else if (kept.length) kept.at(-1)!.notes.push(...(g.title && g.title !== kept.at(-1)!.title ? [g.title] : []), ...g.notes);
    else if (g.notes.length || g.title) kept.push(g);
  }
  return kept.filter((g) => g.items.length || g.notes.length);
}
