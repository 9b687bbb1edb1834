import type { StaffUser } from '../../domain/staff.ts';
import { type AnnouncementRow, AnnouncementStore, type Progress } from '../../storage/announcement-store.ts';
import { AuditLog } from '../../storage/audit-log.ts';
import type { Db } from '../../storage/db.ts';
import { announcementMessage, type ChannelPreview, previewFor } from './messages.ts';
import type { SendJobQueue } from './queue.ts';
import type { NewAnnouncementInput } from './validation.ts';

export interface AnnouncementView extends AnnouncementRow {
  /** Opted-in citizens the audience holds now (before sending), or the deliveries created (after). */
  audience: number;
  progress: Progress;
}

/**
 * What the admin API does: write an announcement (a draft), preview it per channel exactly as the renderers send
 * it, schedule it (one delivery per opted-in recipient, then a job on the queue), and read its progress. Every
 * change is audited with before and after, in the same transaction.
 */
export class AnnouncementService {
  private readonly store: AnnouncementStore;
  private readonly audit: AuditLog;

  constructor(private readonly deps: { db: Db; queue: Pick<SendJobQueue, 'enqueue'> }) {
    this.store = new AnnouncementStore(deps.db);
    this.audit = new AuditLog(deps.db);
  }

  async create(input: NewAnnouncementInput, by: StaffUser): Promise<number> {
    return this.deps.db.transaction(async (tx) => {
      const id = await this.store.create({ ...input, createdBy: by.username }, tx);
      await this.audit.record(
        { userId: by.id, username: by.username, action: 'announcement.create', target: `announcement:${id}`, details: { before: null, after: { ...input, status: 'draft' } } },
        tx,
      );
      return id;
    });
  }

  async get(id: number): Promise<AnnouncementView | null> {
    const a = await this.store.get(id);
    if (!a) return null;
    const progress = await this.store.progress(id);
    return { ...a, audience: a.status === 'draft' ? await this.store.audienceSize(a) : progress.recipients, progress };
  }

  async list(): Promise<AnnouncementView[]> {
    const out: AnnouncementView[] = [];
    for (const a of await this.store.list()) out.push((await this.get(a.id))!);
    return out;
  }

  /** The exact messages per chosen channel, null when there is no such announcement. */
  async preview(id: number): Promise<{ id: number; channels: ChannelPreview[] } | null> {
    const a = await this.store.get(id);
    if (!a) return null;
    const message = announcementMessage(a);
    return { id, channels: a.channels.map((c) => previewFor(c, message)) };
  }

  /** Creates the deliveries and queues the send; `already` when it was scheduled before (nothing added). */
  async send(id: number, by: StaffUser): Promise<{ ok: true; recipients: number } | { ok: false; reason: 'not_found' | 'already' }> {
    const result = await this.deps.db.transaction(async (tx) => {
      const before = await this.store.get(id, tx);
      if (!before) return { ok: false as const, reason: 'not_found' as const };
      const recipients = await this.store.schedule(id, tx);
      if (recipients === null) return { ok: false as const, reason: 'already' as const };
      await this.audit.record(
        {
          userId: by.id,
          username: by.username,
          action: 'announcement.send',
          target: `announcement:${id}`,
          details: { before: { status: before.status }, after: { status: 'sending', recipients } },
        },
        tx,
      );
      return { ok: true as const, recipients };
    });
    if (result.ok) await this.deps.queue.enqueue(id);
    return result;
  }
}
