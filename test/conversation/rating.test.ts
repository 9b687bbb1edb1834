import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPlain } from '../../src/assistant/render-plain.ts';
import { AnsweringFlow } from '../../src/conversation/flows/answering.ts';
import { RatingFlow } from '../../src/conversation/flows/rating.ts';
import { Flows } from '../../src/conversation/flows/registry.ts';
import { flowOf } from '../../src/conversation/flows/types.ts';
import { WithStaffFlow } from '../../src/conversation/flows/with-staff.ts';
import { LEVELS } from '../../src/services/ratings/levels.ts';
import { ConversationStore } from '../../src/storage/conversation-store.ts';
import { RatingStore } from '../../src/storage/rating-store.ts';
import { smallAssistant } from '../helpers/assistant.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';

/** Satisfaction ratings through the conversation flows, the real assistant and a real database. */
describe('satisfaction rating flow', () => {
  let t: TestDb;
  let flows: Flows;
  let conversations: ConversationStore;
  let ratings: RatingStore;
  let n = 0;
  const conv = () => `r:${++n}`;

  beforeAll(async () => {
    t = await openTestDb();
    const { assistant } = await smallAssistant(t.db);
    conversations = new ConversationStore(t.db);
    ratings = new RatingStore(t.db);
    flows = new Flows([new AnsweringFlow(assistant, conversations), new WithStaffFlow(), new RatingFlow(ratings)], conversations);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const say = async (id: string, text: string, channel = 'web') => flows.handle({ conversationId: id, channel, text, state: await conversations.load(id, channel) });
  const press = async (id: string, choice: string, channel = 'web') => flows.handle({ conversationId: id, channel, choice, state: await conversations.load(id, channel) });

  it('an answer offers "Xong"; pressing it asks once, with the five official levels verbatim', async () => {
    const id = conv();
    const answer = await say(id, 'đăng ký kết hôn cần giấy tờ gì');
    expect(answer.replies.at(-1)!.choices!.map((c) => c.label)).toContain('Xong');
    const asked = await press(id, 'done');
    expect(asked.replies.at(-1)!.choices!.map((c) => c.label)).toEqual(['Rất hài lòng', 'Hài lòng', 'Bình thường', 'Không hài lòng', 'Rất không hài lòng']);
    expect(flowOf(await conversations.load(id, 'web')).name).toBe('rating');
  });

  it('a level is stored before it is thanked, with channel and procedure; then an optional comment, redacted', async () => {
    const id = conv();
    await say(id, 'đăng ký kết hôn cần giấy tờ gì');
    await press(id, 'done');
    const ack = await press(id, 'rate:4');
    expect(ack.replies[0]!.text).toContain('Đã ghi nhận: Hài lòng');
    expect(await ratings.forConversation(id)).toMatchObject([{ level: 4, channel: 'web', procedureCode: '1.000894', comment: null }]);
    const thanks = await say(id, 'cán bộ nhiệt tình, số tôi 0912345678');
    expect(thanks.replies[0]!.text).toMatch(/^Cảm ơn bạn đã đánh giá và góp ý/);
    const [stored] = await ratings.forConversation(id);
    expect(stored!.comment).toContain('cán bộ nhiệt tình');
    expect(stored!.comment).not.toContain('0912345678');
    expect(flowOf(await conversations.load(id, 'web')).name).toBe('answering');
  });

  it('after a low rating, the complaint is the comment even when worded as a question; after a good one, a question is answered', async () => {
    const id = conv();
    await say(id, 'đăng ký kết hôn cần giấy tờ gì');
    await press(id, 'done');
    await press(id, 'rate:1');
    const thanks = await say(id, 'Trả lời dài quá, tôi không hiểu phải nộp ở đâu');
    expect(thanks.replies[0]!.text).toMatch(/^Cảm ơn bạn đã đánh giá và góp ý/);
    expect((await ratings.forConversation(id))[0]!.comment).toBe('Trả lời dài quá, tôi không hiểu phải nộp ở đâu');
    const id2 = conv();
    await say(id2, 'đăng ký kết hôn cần giấy tờ gì');
    await press(id2, 'done');
    await press(id2, 'rate:4');
    const answered = await say(id2, 'đăng ký tạm trú cần giấy tờ gì');
    expect(renderPlain(answered.replies)).toContain('(mã 1.004194)');
    expect((await ratings.forConversation(id2))[0]!.comment).toBeNull();
  });

  it('not again in the same episode: "Xong" then thanks, nothing asked; a second press changes nothing', async () => {
    const id = conv();
    await say(id, 'đăng ký kết hôn cần giấy tờ gì');
    await press(id, 'done');
    await press(id, 'rate:5');
    await press(id, 'skip');
    const thanks = await say(id, 'cảm ơn nhé');
    expect(renderPlain(thanks.replies)).not.toContain('Rất hài lòng');
    expect(await ratings.forConversation(id)).toHaveLength(1);
    // a stale button pressed again
    await conversations.setFlow(id, 'web', { name: 'rating', data: { episode: (await ratings.forConversation(id))[0]!.episode, stage: 'level' } });
    const again = await press(id, 'rate:1');
    expect(again.replies[0]!.text).toContain('đã được ghi nhận trước đó');
    expect((await ratings.forConversation(id)).map((r) => r.level)).toEqual([5]);
  });

  it('thanks after an answer asks for the rating; on Zalo the level is typed as its number in the list', async () => {
    const id = conv();
    await say(id, 'đăng ký tạm trú cần giấy tờ gì', 'zalo');
    const asked = await say(id, 'cảm ơn ad nhiều', 'zalo');
    expect(renderPlain(asked.replies)).toContain('Rất không hài lòng');
    await say(id, '2', 'zalo'); // "2. Hài lòng" as Zalo numbers the list
    expect((await ratings.forConversation(id)).map((r) => [r.level, r.channel])).toEqual([[LEVELS[1].level, 'zalo']]);
  });

  it('a question while the rating is asked is answered, not lost; an emergency too', async () => {
    const id = conv();
    await say(id, 'đăng ký kết hôn cần giấy tờ gì');
    await press(id, 'done');
    const answered = await say(id, 'đăng ký tạm trú cần giấy tờ gì');
    expect(renderPlain(answered.replies)).toContain('(mã 1.004194)');
    expect(await ratings.forConversation(id)).toHaveLength(0);
    const id2 = conv();
    await say(id2, 'đăng ký kết hôn cần giấy tờ gì');
    await press(id2, 'done');
    expect(renderPlain((await say(id2, 'nhà hàng xóm đang cháy to')).replies)).toContain('114');
  });
});
