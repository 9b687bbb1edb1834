import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnsweringFlow } from '../../src/conversation/flows/answering.ts';
import { Flows } from '../../src/conversation/flows/registry.ts';
import { type Flow, flowOf } from '../../src/conversation/flows/types.ts';
import { WithStaffFlow } from '../../src/conversation/flows/with-staff.ts';
import { renderPlain } from '../../src/assistant/render-plain.ts';
import { ConversationStore } from '../../src/storage/conversation-store.ts';
import { smallAssistant } from '../helpers/assistant.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';

/** Conversation flows over a real database and the real assistant: the current flow decides, hand-overs are stored. */
describe('conversation flows', () => {
  let t: TestDb;
  let flows: Flows;
  let conversations: ConversationStore;

  /** A flow that answers once and hands the conversation back to answering (what a finished guide does). */
  const oneShot: Flow = {
    name: 'rating',
    async handle(turn) {
      return { replies: [{ text: `rating flow got: ${turn.text}` }], next: { name: 'answering' } };
    },
  };

  beforeAll(async () => {
    t = await openTestDb();
    const { assistant } = await smallAssistant(t.db);
    conversations = new ConversationStore(t.db);
    flows = new Flows([new AnsweringFlow(assistant), new WithStaffFlow(), oneShot], conversations);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const turn = async (id: string, text: string) => flows.handle({ conversationId: id, channel: 'test', text, state: await conversations.load(id, 'test') });

  it('a new conversation is answering: the assistant answers', async () => {
    const out = await turn('f:1', 'đăng ký kết hôn cần giấy tờ gì');
    expect(renderPlain(out.replies)).toContain('(mã 1.000894)');
    expect(flowOf(await conversations.load('f:1', 'test')).name).toBe('answering');
  });

  it('with a staff member the bot is silent, and the assistant keeps its memory untouched', async () => {
    await turn('f:2', 'đăng ký kết hôn cần giấy tờ gì');
    await conversations.setFlow('f:2', 'test', { name: 'with_staff', data: { ticket: 7 } });
    const out = await turn('f:2', 'mất bao lâu');
    expect(out.replies).toEqual([]);
    const state = await conversations.load('f:2', 'test');
    expect(state.currentProcedure).toBe('1.000894');
    expect(flowOf(state)).toMatchObject({ name: 'with_staff', data: { ticket: 7 } });
  });

  it('a flow hands over to another, stored before its replies are returned; the next message goes to the new flow', async () => {
    await conversations.setFlow('f:3', 'test', { name: 'rating' });
    const first = await turn('f:3', '5');
    expect(first.replies[0]!.text).toBe('rating flow got: 5');
    expect(flowOf(await conversations.load('f:3', 'test')).name).toBe('answering');
    expect(renderPlain((await turn('f:3', 'đăng ký khai sinh cần gì')).replies)).toContain('(mã 1.001193)');
  });

  it('an unknown or older flow state falls back safely', async () => {
    await conversations.setFlow('f:4', 'test', { name: 'no-such-flow' });
    expect(renderPlain((await turn('f:4', 'đăng ký khai sinh cần gì')).replies)).toContain('(mã 1.001193)');
    expect(flowOf({ ...(await conversations.load('f:4', 'test')), flow: { owner: 'staff' } }).name).toBe('with_staff');
  });
});
