import type { StaffUser } from '../../domain/staff.ts';
import { type AnnouncementRow, type AnnouncementStatus, AnnouncementStore, type Progress } from '../../storage/announcement-store.ts';
import { AuditLog } from '../../storage/audit-log.ts';
import type { Db } from '../../storage/db.ts';
import { announcementMessage, type ChannelPreview, previewFor } from './messages.ts';
import type { SendJobQueue } from './queue.ts';
import type { NewAnnouncementInput } from './validation.ts';

export interface AnnouncementView extends AnnouncementRow {
  /** Opted-in citizens the audience holds now (a draft, or scheduled: who would receive it now), or the deliveries created (after). */
  audience: number;
  progress: Progress;
}

export type SendResult = { ok: true; recipients: number; scheduledAt: string | null } | { ok: false; reason: 'not_found' | AnnouncementStatus };
export type CancelResult = { ok: true; removed: number } | { ok: false; reason: 'not_found' | AnnouncementStatus };

/**
 * What the admin API does: write an announcement (a draft), preview it per channel exactly as the renderers send
 * it, send it now or at a chosen time (one delivery per opted-in recipient, then a job on the queue, for that time),
 * cancel a scheduled one before it starts, and read its progress. Every change is audited with before and after, in
 * the same transaction.
 *
 * Who receives a scheduled announcement is decided when it is sent, not when it is scheduled: a citizen who opts
 * out before the time does not receive it (the worker checks before each send), and one who opts in before the time
 * does (added when it starts). `recipients` when scheduling counts the audience at that moment.
 */
export class AnnouncementService {
  private readonly store: AnnouncementStore;
  private readonly audit: AuditLog;

  constructor(private readonly deps: { db: Db; queue: Pick<SendJobQueue, 'enqueue'>; now?: () => Date }) {
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
    const now = a.status === 'draft' || a.status === 'scheduled';
    return { ...a, audience: now ? await this.store.audienceSize(a) : progress.recipients, progress };
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

  /** The clock a chosen send time is checked against. */
  now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /**
   * Creates the deliveries and queues the send, at once or, with `at` (checked by `parseSendBody`), for that time.
   * Not a draft any more (sent, scheduled, cancelled): the status as `reason`, nothing added.
   */
  async send(id: number, by: StaffUser, at: Date | null = null): Promise<SendResult> {
    const result = await this.deps.db.transaction(async (tx): Promise<SendResult> => {
      const before = await this.store.get(id, tx);
      if (!before) return { ok: false, reason: 'not_found' };
      const recipients = await this.store.schedule(id, tx, at);
      if (recipients === null) return { ok: false, reason: before.status };
      const scheduledAt = at ? at.toISOString() : null;
      await this.audit.record(
        {
          userId: by.id,
          username: by.username,
          action: 'announcement.send',
          target: `announcement:${id}`,
          details: { before: { status: before.status }, after: { status: at ? 'scheduled' : 'sending', recipients, ...(at ? { scheduledAt } : {}) } },
        },
        tx,
      );
      return { ok: true, recipients, scheduledAt };
    });
    if (result.ok) await this.deps.queue.enqueue(id, at);
    return result;
  }

  /** Cancels a scheduled announcement before it starts (nothing is sent); its status as `reason` otherwise. */
  async cancel(id: number, by: StaffUser): Promise<CancelResult> {
    return this.deps.db.transaction(async (tx): Promise<CancelResult> => {
      const before = await this.store.get(id, tx);
      if (!before) return { ok: false, reason: 'not_found' };
      const removed = await this.store.cancel(id, tx);
      // read again: on the server a start committed meanwhile is what the update saw
      if (removed === null) return { ok: false, reason: (await this.store.get(id, tx))?.status ?? before.status };
      await this.audit.record(
        {
          userId: by.id,
          username: by.username,
          action: 'announcement.cancel',
          target: `announcement:${id}`,
          details: { before: { status: 'scheduled', scheduledAt: before.scheduledAt, recipients: removed }, after: { status: 'cancelled', scheduledAt: before.scheduledAt, recipients: 0 } },
        },
        tx,
      );
      return { ok: true, removed };
    });
  }
}
