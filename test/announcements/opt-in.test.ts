import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName, ChannelSender, InboundEvent } from '../../src/channels/types.ts';
import { Commands } from '../../src/conversation/commands.ts';
import { ConversationEngine } from '../../src/conversation/engine.ts';
import { AnsweringFlow } from '../../src/conversation/flows/answering.ts';
import { RatingFlow } from '../../src/conversation/flows/rating.ts';
import { Flows } from '../../src/conversation/flows/registry.ts';
import { WithStaffFlow } from '../../src/conversation/flows/with-staff.ts';
import { Inbox } from '../../src/conversation/inbox.ts';
import type { ReplyMessage } from '../../src/domain/types.ts';
import { EMPTY_PROFILE } from '../../src/knowledge/commune-profile.ts';
import { loadVocabulary } from '../../src/knowledge/vocabulary.ts';
import { AnnouncementOptIn } from '../../src/services/announcements/opt-in.ts';
import { AnnouncementStore } from '../../src/storage/announcement-store.ts';
import { ConversationStore } from '../../src/storage/conversation-store.ts';
import { ProcedureStore } from '../../src/storage/procedure-store.ts';
import { RatingStore } from '../../src/storage/rating-store.ts';
import { smallAssistant } from '../helpers/assistant.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';

class RecordingSender implements ChannelSender {
  sent: { chatId: string; message: ReplyMessage }[] = [];
  constructor(readonly channel: ChannelName) {}
  async send(chatId: string, message: ReplyMessage) {
    this.sent.push({ chatId, message });
  }
  /** What `chatId` received since `from`. */
  since(chatId: string, from: number) {
    return this.sent.slice(from).filter((s) => s.chatId === chatId).map((s) => s.message);
  }
}

let seq = 0;
const event = (channel: 'telegram' | 'zalo', chatId: string, over: Partial<InboundEvent>): InboundEvent => ({
  channel,
  updateKey: `u${++seq}`,
  sequence: seq,
  chatId,
  userId: chatId,
  kind: 'text',
  receivedAt: new Date(),
  ...over,
});

/** Opting in and out through the conversation engine: /dangky, /huy, and the choice offered once. */
describe('announcements: citizens opt in and out', () => {
  let t: TestDb;
  let engine: ConversationEngine;
  let store: AnnouncementStore;
  let conversations: ConversationStore;
  const telegram = new RecordingSender('telegram');
  const zalo = new RecordingSender('zalo');

  beforeAll(async () => {
    t = await openTestDb();
    const { assistant } = await smallAssistant(t.db);
    store = new AnnouncementStore(t.db);
    conversations = new ConversationStore(t.db);
    const optIn = new AnnouncementOptIn(store);
    const flows = new Flows(
      [new AnsweringFlow(assistant, conversations), new WithStaffFlow(), new RatingFlow(new RatingStore(t.db), undefined, (turn) => optIn.offerForTurn(turn))],
      conversations,
    );
    engine = new ConversationEngine({
      inbox: new Inbox(t.db),
      assistant,
      flows,
      commands: new Commands({ profile: EMPTY_PROFILE, vocabulary: loadVocabulary('knowledge'), procedures: new ProcedureStore(t.db), subscriptions: optIn }),
      conversations,
      senders: { telegram, zalo },
      logger: pino({ level: 'silent' }),
    });
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await t?.cleanup();
  });

  /** Sends one update and returns what the bot answered to it. */
  async function say(channel: 'telegram' | 'zalo', chatId: string, over: Partial<InboundEvent>): Promise<ReplyMessage[]> {
    const sender = channel === 'telegram' ? telegram : zalo;
    const from = sender.sent.length;
    await engine.accept(event(channel, chatId, over));
    await engine.stop();
    return sender.since(chatId, from);
  }
  const subscribed = async (id: string) => (await store.subscription(id))?.subscribed ?? false;

  it('nobody is subscribed without opting in: /start offers the choice, once per conversation', async () => {
    const first = await say('telegram', 't1', { kind: 'command', command: 'start' });
    const offer = first.at(-1)!;
    expect(offer.text).toContain('Bạn có muốn nhận thông báo');
    expect(offer.choices?.map((c) => c.id)).toEqual(['announce:yes', 'announce:no']);
    expect(await subscribed('telegram:t1')).toBe(false);
    const again = await say('telegram', 't1', { kind: 'command', command: 'start' });
    expect(again.map((m) => m.text).join('\n')).not.toContain('Bạn có muốn nhận thông báo');
  });

  it('the offer\'s button opts in, /huy opts out at once, and "hủy" typed without the slash does not', async () => {
    await say('telegram', 't2', { kind: 'command', command: 'start' });
    const yes = await say('telegram', 't2', { kind: 'choice', choice: 'announce:yes' });
    expect(yes[0]!.text).toContain('Bạn đã đăng ký nhận thông báo');
    expect(await subscribed('telegram:t2')).toBe(true);
    await say('telegram', 't2', { text: 'hủy' });
    expect(await subscribed('telegram:t2')).toBe(true);
    const off = await say('telegram', 't2', { text: '/huy' });
    expect(off[0]!.text).toContain('Bạn sẽ không nhận thông báo nữa');
    expect(await subscribed('telegram:t2')).toBe(false);
  });

  it('"Không, cảm ơn" stores the refusal: not subscribed and never offered again', async () => {
    await say('telegram', 't3', { kind: 'command', command: 'start' });
    const no = await say('telegram', 't3', { kind: 'choice', choice: 'announce:no' });
    expect(no[0]!.text).toContain('sẽ không gửi thông báo');
    expect(await subscribed('telegram:t3')).toBe(false);
    expect((await say('telegram', 't3', { kind: 'command', command: 'start' })).map((m) => m.text).join('\n')).not.toContain('Bạn có muốn nhận');
  });

  it('on Zalo (no buttons) the offer names the commands; /dangky typed as text opts in, /huy out', async () => {
    const first = await say('zalo', 'z1', { text: '/start' });
    expect(first.at(-1)!.text).toContain('Nhắn /dangky để nhận');
    expect(first.at(-1)!.choices).toBeUndefined();
    expect((await say('zalo', 'z1', { text: '/dangky' }))[0]!.text).toContain('Bạn đã đăng ký nhận thông báo');
    expect(await store.subscription('zalo:z1')).toMatchObject({ channel: 'zalo', chatId: 'z1', subscribed: true });
    await say('zalo', 'z1', { text: '/huy' });
    expect(await subscribed('zalo:z1')).toBe(false);
  });

  it('after a good rating the thanks is followed by the offer, not after a poor one, and only once', async () => {
    const rate = async (chatId: string, level: number) => {
      await conversations.load(`telegram:${chatId}`, 'telegram');
      await conversations.setFlow(`telegram:${chatId}`, 'telegram', { name: 'rating', data: { episode: `e-${chatId}`, stage: 'level' } });
      await say('telegram', chatId, { kind: 'choice', choice: `rate:${level}` });
      return say('telegram', chatId, { kind: 'choice', choice: 'skip' });
    };
    const good = await rate('t4', 4);
    expect(good[0]!.text).toMatch(/^Cảm ơn bạn đã đánh giá/);
    expect(good[1]?.text).toContain('Bạn có muốn nhận thông báo');
    expect(await subscribed('telegram:t4')).toBe(false);
    const poor = await rate('t5', 2);
    expect(poor.map((m) => m.text).join('\n')).not.toContain('Bạn có muốn nhận thông báo');
    const second = await rate('t4', 5);
    expect(second.map((m) => m.text).join('\n')).not.toContain('Bạn có muốn nhận thông báo');
  });

  it('/dangky in the middle of another flow (the rating) is answered and stored', async () => {
    await conversations.load('telegram:t6', 'telegram');
    await conversations.setFlow('telegram:t6', 'telegram', { name: 'rating', data: { episode: 'e-t6', stage: 'level' } });
    const r = await say('telegram', 't6', { kind: 'command', command: 'dangky' });
    expect(r[0]!.text).toContain('Bạn đã đăng ký nhận thông báo');
    expect(await subscribed('telegram:t6')).toBe(true);
  });
});
