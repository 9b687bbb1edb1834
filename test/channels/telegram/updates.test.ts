import { Bot } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { createUpdateHandler, toInboundEvent } from '../../../src/channels/telegram/updates.ts';
import { InboundEventSchema } from '../../../src/channels/types.ts';
import { callbackUpdate, contentUpdate, stickerUpdate, textUpdate, type NewUpdate } from '../../fakes/telegram-server.ts';
import { captureLogger, RecordingSink } from './helpers.ts';

const TOKEN = '123456:TEST-unit-token';
const botInfo = {
  id: 123456,
  is_bot: true,
  first_name: 'Trợ lý xã',
  username: 'troly_xa_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
} as UserFromGetMe;

let nextId = 1;
const withId = (u: NewUpdate): Update => ({ ...u, update_id: nextId++ }) as Update;
const now = () => new Date('2026-01-02T03:04:05Z');

/** A bot with the handler installed and every outgoing API call captured (no server). */
function harness() {
  const sink = new RecordingSink();
  const { logger } = captureLogger();
  const bot = new Bot(TOKEN, { botInfo });
  const calls: { method: string; payload: Record<string, unknown> }[] = [];
  bot.api.config.use(async (_prev, method, payload) => {
    calls.push({ method, payload: payload as Record<string, unknown> });
    return { ok: true, result: true } as never;
  });
  bot.use(createUpdateHandler({ sink, logger, token: TOKEN }));
  return { sink, bot, calls };
}

describe('toInboundEvent', () => {
  it('text message → text event with string ids; the update_id is its sequence', () => {
    const u = withId(textUpdate('Làm căn cước ở đâu?', { chatId: 42, userId: 7 }));
    const e = toInboundEvent(u, { now });
    expect(e).toEqual({
      channel: 'telegram',
      updateKey: String(u.update_id),
      sequence: u.update_id,
      chatId: '42',
      userId: '7',
      kind: 'text',
      text: 'Làm căn cước ở đâu?',
      receivedAt: now(),
    });
    expect(InboundEventSchema.safeParse(e).success).toBe(true);
  });

  it('commands: /start, /HELP, /menu@botname, /lienhe with arguments → command, lowercase, @botname stripped', () => {
    const ev = (t: string) => toInboundEvent(withId(textUpdate(t)), { botUsername: 'troly_xa_bot', now });
    expect(ev('/start')).toMatchObject({ kind: 'command', command: 'start' });
    expect(ev('/start')).not.toHaveProperty('text');
    expect(ev('/HELP')).toMatchObject({ kind: 'command', command: 'help' });
    expect(ev('/menu@troly_xa_bot')).toMatchObject({ kind: 'command', command: 'menu' });
    expect(ev('/menu@TroLy_Xa_Bot')).toMatchObject({ kind: 'command', command: 'menu' });
    expect(ev('/lienhe@troly_xa_bot  số điện thoại')).toMatchObject({ kind: 'command', command: 'lienhe', text: 'số điện thoại' });
  });

  it('a command for another bot is ignored; an unknown command is text without the @botname', () => {
    expect(toInboundEvent(withId(textUpdate('/start@other_bot')), { botUsername: 'troly_xa_bot' })).toBeNull();
    expect(toInboundEvent(withId(textUpdate('/thutuc@troly_xa_bot khai sinh')), { botUsername: 'troly_xa_bot' })).toMatchObject({
      kind: 'text',
      text: '/thutuc khai sinh',
    });
    // "/startx" is not "/start"; "/ start" is not a command at all.
    expect(toInboundEvent(withId(textUpdate('/startx')))).toMatchObject({ kind: 'text', text: '/startx' });
    expect(toInboundEvent(withId(textUpdate('/ start')))).toMatchObject({ kind: 'text' });
  });

  it('callback query with data → choice', () => {
    const u = withId(callbackUpdate('proc:1.001193', { chatId: 42, userId: 7 }));
    expect(toInboundEvent(u, { now })).toEqual({
      channel: 'telegram',
      updateKey: String(u.update_id),
      sequence: u.update_id,
      chatId: '42',
      userId: '7',
      kind: 'choice',
      choice: 'proc:1.001193',
      receivedAt: now(),
    });
  });

  it('sticker, photo (caption kept), voice, location → unsupported', () => {
    expect(toInboundEvent(withId(stickerUpdate()))).toMatchObject({ kind: 'unsupported', chatId: '42' });
    expect(toInboundEvent(withId(stickerUpdate()))).not.toHaveProperty('text');
    const photo = contentUpdate({ photo: [{ file_id: 'p', file_unique_id: 'u', width: 1, height: 1 }], caption: 'giấy này đúng chưa?' });
    expect(toInboundEvent(withId(photo))).toMatchObject({ kind: 'unsupported', text: 'giấy này đúng chưa?' });
    expect(toInboundEvent(withId(contentUpdate({ voice: { file_id: 'v', file_unique_id: 'u', duration: 3 } })))).toMatchObject({ kind: 'unsupported' });
    expect(toInboundEvent(withId(contentUpdate({ location: { latitude: 21, longitude: 105 } })))).toMatchObject({ kind: 'unsupported' });
  });

  it('other updates and service messages → null (ignored)', () => {
    const edited = { edited_message: textUpdate('sửa').message } as unknown as NewUpdate;
    expect(toInboundEvent(withId(edited))).toBeNull();
    expect(toInboundEvent(withId({ my_chat_member: {} } as unknown as NewUpdate))).toBeNull();
    expect(toInboundEvent(withId(contentUpdate({ new_chat_members: [{ id: 9, is_bot: false, first_name: 'B' }] })))).toBeNull();
    const noData = callbackUpdate('x');
    delete (noData.callback_query as { data?: string }).data;
    expect(toInboundEvent(withId(noData))).toBeNull();
  });

  it('cleans texts, captions and button data: NUL, lone surrogates, zero-width and bidi junk out, NFC', () => {
    const junk = (t: string) => `\u0000${t}\ud800\u200b\u202e\u2066`;
    expect(toInboundEvent(withId(textUpdate(junk('lệ phí'.normalize('NFD')))))).toMatchObject({ kind: 'text', text: 'lệ phí' });
    // junk before the slash does not hide a command
    expect(toInboundEvent(withId(textUpdate('\u200b/menu\u0000')))).toMatchObject({ kind: 'command', command: 'menu' });
    expect(toInboundEvent(withId(textUpdate('/lienhe \ufeffsố\u0000 máy')))).toMatchObject({ kind: 'command', text: 'số máy' });
    const photo = contentUpdate({ photo: [{ file_id: 'p', file_unique_id: 'u', width: 1, height: 1 }], caption: junk('giấy này') });
    expect(toInboundEvent(withId(photo))).toMatchObject({ kind: 'unsupported', text: 'giấy này' });
    expect(toInboundEvent(withId(callbackUpdate(junk('aspect:fee'))))).toMatchObject({ kind: 'choice', choice: 'aspect:fee' });
    for (const t of [textUpdate(junk('')), textUpdate(junk('a'))]) expect(InboundEventSchema.safeParse(toInboundEvent(withId(t))).success).toBe(true);
  });

  it('nothing readable left: a text like a sticker (unsupported), button data like a button without data (ignored)', () => {
    expect(toInboundEvent(withId(textUpdate('\u0000\u200b \u202e\ud800')))).toEqual(expect.objectContaining({ kind: 'unsupported' }));
    expect(toInboundEvent(withId(textUpdate('\u0000')))).not.toHaveProperty('text');
    const photo = contentUpdate({ photo: [{ file_id: 'p', file_unique_id: 'u', width: 1, height: 1 }], caption: '\u200b\u0000' });
    expect(toInboundEvent(withId(photo))).not.toHaveProperty('text');
    expect(toInboundEvent(withId(callbackUpdate('\u0000\u200b')))).toBeNull();
  });

  it('a text over the event limit is cut rather than refused', () => {
    const e = toInboundEvent(withId(textUpdate('á'.repeat(25_000))));
    expect(e?.text).toHaveLength(20_000);
    expect(InboundEventSchema.safeParse(e).success).toBe(true);
  });

  it('a message without a sender (channel-style) has userId null', () => {
    const u = textUpdate('xin chào');
    delete (u.message as { from?: unknown }).from;
    expect(toInboundEvent(withId(u))).toMatchObject({ kind: 'text', userId: null });
  });
});

describe('createUpdateHandler (through bot.handleUpdate)', () => {
  it('hands a text message to the sink once', async () => {
    const { sink, bot, calls } = harness();
    const u = withId(textUpdate('Lệ phí khai sinh?'));
    await bot.handleUpdate(u);
    expect(sink.events).toHaveLength(1);
    expect(sink.events[0]).toMatchObject({ kind: 'text', updateKey: String(u.update_id), text: 'Lệ phí khai sinh?' });
    expect(calls).toEqual([]);
  });

  it('a command with @botname reaches the sink as a command', async () => {
    const { sink, bot } = harness();
    await bot.handleUpdate(withId(textUpdate('/start@troly_xa_bot')));
    expect(sink.events[0]).toMatchObject({ kind: 'command', command: 'start' });
  });

  it('callback query → choice, then the query is answered (after accept)', async () => {
    const { sink, bot, calls } = harness();
    const u = withId(callbackUpdate('proc:2.000001', { queryId: 'q-1' }));
    await bot.handleUpdate(u);
    expect(sink.events[0]).toMatchObject({ kind: 'choice', choice: 'proc:2.000001' });
    expect(calls).toEqual([{ method: 'answerCallbackQuery', payload: { callback_query_id: 'q-1' } }]);
  });

  it('when accept throws, the error propagates and the query is not answered', async () => {
    const { sink, bot, calls } = harness();
    sink.failNext();
    await expect(bot.handleUpdate(withId(callbackUpdate('x', { queryId: 'q-2' })))).rejects.toThrow(/database unavailable/);
    expect(calls).toEqual([]);
    expect(sink.events).toEqual([]);
  });

  it('a failing answerCallbackQuery does not fail the update', async () => {
    const sink = new RecordingSink();
    const { logger, text } = captureLogger();
    const bot = new Bot(TOKEN, { botInfo });
    bot.use(createUpdateHandler({ sink, logger, token: TOKEN, answerCallbackQuery: async () => Promise.reject(new Error(`boom ${TOKEN}`)) }));
    await bot.handleUpdate(withId(callbackUpdate('x')));
    expect(sink.events).toHaveLength(1);
    expect(text()).toContain('answerCallbackQuery failed');
    expect(text()).not.toContain(TOKEN);
  });

  it('sticker → unsupported; unknown update types are acknowledged without reaching the sink', async () => {
    const { sink, bot } = harness();
    await bot.handleUpdate(withId(stickerUpdate()));
    await bot.handleUpdate(withId({ edited_message: textUpdate('sửa').message } as unknown as NewUpdate));
    await bot.handleUpdate(withId({ poll_answer: { poll_id: '1', option_ids: [0] } } as unknown as NewUpdate));
    expect(sink.events.map((e) => e.kind)).toEqual(['unsupported']);
  });
});
