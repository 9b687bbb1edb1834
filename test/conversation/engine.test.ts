import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../../src/assistant/assistant.ts';
import type { ReplyMessage } from '../../src/domain/types.ts';
import type { ChannelSender, InboundEvent } from '../../src/channels/types.ts';
import { Commands } from '../../src/conversation/commands.ts';
import { ConversationEngine, type EngineDeps } from '../../src/conversation/engine.ts';
import { Inbox } from '../../src/conversation/inbox.ts';
import { EMPTY_PROFILE } from '../../src/knowledge/commune-profile.ts';
import { loadVocabulary, type Vocabulary } from '../../src/knowledge/vocabulary.ts';
import { ConversationStore } from '../../src/storage/conversation-store.ts';
import { ProcedureStore } from '../../src/storage/procedure-store.ts';
import type { TurnLog } from '../../src/storage/turn-log.ts';
import { smallAssistant } from '../helpers/assistant.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';

/** A sender that records what it would send (our own seam; the platform fakes are in the end-to-end tests). */
class RecordingSender implements ChannelSender {
  readonly channel = 'telegram' as const;
  sent: { chatId: string; message: ReplyMessage }[] = [];
  failures = 0;
  async send(chatId: string, message: ReplyMessage) {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('platform unavailable');
    }
    this.sent.push({ chatId, message });
  }
  texts(chatId: string) {
    return this.sent.filter((s) => s.chatId === chatId).map((s) => s.message.text);
  }
}

let seq = 0;
/** Like Telegram: the update key is the update_id, which is also the platform's order. */
const event = (chatId: string, over: Partial<InboundEvent>): InboundEvent => ({
  channel: 'telegram',
  updateKey: String(++seq),
  sequence: seq,
  chatId,
  userId: chatId,
  kind: 'text',
  receivedAt: new Date(),
  ...over,
});

describe('conversation engine', () => {
  let t: TestDb;
  let assistant: Assistant;
  let vocabulary: Vocabulary;
  let turns: TurnLog;
  let sender: RecordingSender;
  let engine: ConversationEngine;
  const make = (over: Partial<EngineDeps> = {}) =>
    new ConversationEngine({
      inbox: new Inbox(t.db),
      assistant,
      commands: new Commands({ profile: EMPTY_PROFILE, vocabulary, procedures: new ProcedureStore(t.db) }),
      conversations: new ConversationStore(t.db),
      senders: { telegram: sender },
      logger: pino({ level: 'silent' }),
      ...over,
    });

  beforeAll(async () => {
    t = await openTestDb();
    ({ assistant, turns } = await smallAssistant(t.db));
    // the committed life events; their procedures that the small knowledge base holds are listed
    vocabulary = loadVocabulary('knowledge');
    sender = new RecordingSender();
    engine = make();
  });
  afterAll(async () => {
    await engine?.stop();
    await t?.cleanup();
  });

  it('stores, answers once, and ignores a re-delivered update', async () => {
    const e = event('c1', { text: 'đăng ký tạm trú cần giấy tờ gì' });
    expect(await engine.accept(e)).toBe('accepted');
    expect(await engine.accept(e)).toBe('duplicate');
    await engine.stop();
    expect(sender.texts('c1')).toHaveLength(1);
    expect(sender.texts('c1')[0]).toContain('(mã 1.004194)');
    expect(await turns.forConversation('telegram:c1')).toHaveLength(1);
  });

  it('answers one person in order and different people in parallel', async () => {
    await Promise.all([
      engine.accept(event('c2', { text: 'đăng ký tạm trú cần giấy tờ gì' })),
      engine.accept(event('c2', { text: 'còn lệ phí thì sao' })),
      engine.accept(event('c2', { text: 'mất mấy ngày' })),
      engine.accept(event('c3', { text: 'cháy nhà cứu với' })),
    ]);
    await engine.stop();
    const c2 = sender.texts('c2');
    expect(c2).toHaveLength(3);
    expect(c2[0]).toContain('Giấy tờ'); // the heading's wording is the composer's ("Giấy tờ phải nộp")
    expect(c2[1]).toContain('Lệ phí');
    expect(c2[2]).toContain('Thời hạn');
    expect(sender.texts('c3')[0]).toContain('114');
  });

  it('answers in the platform order when one person\'s updates are stored in reverse order at once', async () => {
    const base = seq + 10;
    seq += 20;
    const keys = [base + 1, base + 2, base + 3].map(String);
    // update_ids base+1, base+2, base+3, delivered concurrently and stored last first
    await Promise.all([
      engine.accept(event('c11', { updateKey: keys[2], sequence: base + 3, text: 'mất mấy ngày' })),
      engine.accept(event('c11', { updateKey: keys[1], sequence: base + 2, text: 'còn lệ phí thì sao' })),
      engine.accept(event('c11', { updateKey: keys[0], sequence: base + 1, text: 'đăng ký tạm trú cần giấy tờ gì' })),
    ]);
    await engine.stop();
    // which update each sent reply answers, in the order they were stored (and so sent)
    const outbox = await t.db.query<{ update_key: string; text: string }>(
      `SELECT i.update_key, o.message->>'text' AS text FROM outbound_messages o JOIN inbound_updates i ON i.id = o.inbound_id
        WHERE o.conversation_id = 'telegram:c11' ORDER BY o.id`,
    );
    expect(outbox.map((r) => r.update_key)).toEqual(keys);
    expect(sender.texts('c11')).toEqual(outbox.map((r) => r.text));
    // the follow-ups were read in context: the fee, then the time, of the procedure the first message was about
    expect(sender.texts('c11').every((x) => x?.includes('(mã 1.004194)'))).toBe(true);
  });

  it('the inbox hands out pending updates lowest sequence first, then by arrival; a late lower one is next, not dropped', async () => {
    const inbox = new Inbox(t.db);
    const at = (n: number, text: string, sequence?: number) =>
      event('c12', { updateKey: `c12-${n}`, text, ...(sequence === undefined ? { sequence: undefined } : { sequence }) });
    await Promise.all([inbox.store(at(1, 'ba', 30)), inbox.store(at(2, 'một', 10)), inbox.store(at(3, 'hai', 20))]);
    const taken: string[] = [];
    const takeOne = async () => {
      const u = (await inbox.nextPending('telegram:c12'))!;
      taken.push(u.event.text!);
      await inbox.complete(u, null, [], true);
    };
    await takeOne();
    await takeOne();
    // arrives after 20 was processed, with a lower sequence: processed next, before 30
    await inbox.store(at(4, 'muộn', 15));
    await takeOne();
    await takeOne();
    expect(taken).toEqual(['một', 'hai', 'muộn', 'ba']);
    // without a sequence: arrival order, ahead of the sequenced ones (never kept waiting behind them)
    await inbox.store(at(5, 'năm', 50));
    await inbox.store(at(6, 'không số 1'));
    await inbox.store(at(7, 'không số 2'));
    await takeOne();
    await takeOne();
    await takeOne();
    expect(taken.slice(4)).toEqual(['không số 1', 'không số 2', 'năm']);
    expect(await inbox.nextPending('telegram:c12')).toBeNull();
  });

  it('a late update with a lower sequence than one already answered is answered too', async () => {
    await engine.accept(event('c13', { updateKey: 'c13-late-b', sequence: 900_002, text: 'đăng ký tạm trú cần giấy tờ gì' }));
    await engine.stop();
    await engine.accept(event('c13', { updateKey: 'c13-late-a', sequence: 900_001, text: 'xin chào' }));
    await engine.stop();
    expect(sender.texts('c13')).toHaveLength(2);
    expect(await new Inbox(t.db).statusOf('telegram', 'c13-late-a')).toBe('done');
  });

  it('an update stored before a crash is answered after the restart', async () => {
    // stored, then the process died before processing it
    await new Inbox(t.db).store(event('c4', { text: 'xin chào' }));
    const restarted = make();
    await restarted.recover();
    await restarted.stop();
    expect(sender.texts('c4')).toHaveLength(1);
  });

  it('a reply the platform refused is sent later, once', async () => {
    sender.failures = 1;
    await engine.accept(event('c5', { text: 'xin chào' }));
    await engine.stop();
    expect(sender.texts('c5')).toHaveLength(0);
    await engine.recover();
    await engine.stop();
    expect(sender.texts('c5')).toHaveLength(1);
    await engine.recover();
    await engine.stop();
    expect(sender.texts('c5')).toHaveLength(1);
  });

  it('stays silent in a conversation a staff member has taken over', async () => {
    const store = new ConversationStore(t.db);
    const state = await store.load('telegram:c6', 'telegram');
    await store.save({ ...state, flow: { owner: 'staff' } });
    await engine.accept(event('c6', { text: 'đăng ký tạm trú cần gì' }));
    await engine.stop();
    expect(sender.texts('c6')).toHaveLength(0);
  });

  it('/start greets and shows the menu; a typed number opens a life event; a procedure pick is answered', async () => {
    await engine.accept(event('c7', { kind: 'command', command: 'start' }));
    await engine.stop();
    const [intro, menu] = sender.sent.filter((s) => s.chatId === 'c7').map((s) => s.message);
    expect(intro!.text).toContain('trợ lý tự động');
    expect(menu!.choices?.[0]?.id).toBe(`event:${vocabulary.lifeEvents[0]!.id}`);
    const marriage = vocabulary.lifeEvents.findIndex((e) => e.id === 'ket-hon') + 1;
    await engine.accept(event('c7', { text: String(marriage) })); // the life event by its number, as on Zalo
    await engine.stop();
    const list = sender.sent.filter((s) => s.chatId === 'c7').at(-1)!.message;
    expect(list.text).toContain('Kết hôn');
    const pick = list.choices!.find((c) => c.id === 'proc:1.000894')!;
    await engine.accept(event('c7', { kind: 'choice', choice: pick.id }));
    await engine.stop();
    expect(sender.texts('c7').at(-1)).toContain('(mã 1.000894)');
  });

  it('/lienhe says the contact is not set rather than inventing one', async () => {
    await engine.accept(event('c8', { text: '/lienhe' }));
    await engine.stop();
    expect(sender.texts('c8')[0]).toContain('chưa cập nhật');
  });

  it('the web path answers in the response, and a retried request gets the same replies without a second turn', async () => {
    const e: InboundEvent = { ...event('w1', { text: 'đăng ký thường trú' }), channel: 'web' };
    const first = await engine.converse(e);
    const again = await engine.converse(e);
    expect(first[0]!.text).toContain('(mã 1.004222)');
    expect(again).toEqual(first);
    expect(await turns.forConversation('web:w1')).toHaveLength(1);
  });

  it('keeps only the redacted text of a processed update', async () => {
    const e = event('c9', { text: 'sđt tôi 0912345678, đăng ký tạm trú cần gì' });
    await engine.accept(e);
    await engine.stop();
    const rows = await t.db.query<{ event: { text: string } }>(`SELECT event FROM inbound_updates WHERE update_key = $1`, [e.updateKey]);
    expect(rows[0]!.event.text).not.toContain('0912345678');
  });

  it('waits for the knowledge base on a first start: updates are stored and answered once it is ready', async () => {
    let ready!: (a: Assistant) => void;
    const later = make({ assistant: new Promise<Assistant>((r) => (ready = r)) });
    await later.accept(event('c10', { text: 'xin chào' }));
    expect(sender.texts('c10')).toHaveLength(0);
    ready(assistant);
    await later.stop();
    expect(sender.texts('c10')).toHaveLength(1);
  });
});
