import { describe, expect, it } from 'vitest';
import { commandOf, parseZaloUpdate, ZaloUpdateError } from '../../../src/channels/zalo/updates.ts';
import { zaloTextUpdate } from '../../fakes/zalo-server.ts';

const NOW = new Date('2026-11-27T08:00:00Z');
const CHAT = '6ede9afa66b88fe6d6a9';

/** A media update in the shape captured from the live API (ZALO.md §1.5). */
function mediaUpdate(eventName: string, fields: Record<string, unknown>) {
  return {
    event_name: eventName,
    message: {
      message_id: 'aa11bb22cc33dd44ee55',
      date: 1749632637199,
      from: { id: CHAT, display_name: 'Người dân' },
      chat: { id: CHAT, chat_type: 'PRIVATE' },
      ...fields,
    },
  };
}

describe('parseZaloUpdate', () => {
  it('turns an unwrapped text update into a text event; the message time (ms) is its sequence', () => {
    const e = parseZaloUpdate(zaloTextUpdate('Làm giấy khai sinh cần gì?'), NOW);
    expect(e).toEqual({
      channel: 'zalo',
      updateKey: 'message.text.received:2d758cb5e222177a4e35',
      sequence: 1749632637199,
      chatId: CHAT,
      userId: CHAT,
      kind: 'text',
      text: 'Làm giấy khai sinh cần gì?',
      receivedAt: new Date(1749632637199),
    });
  });

  it('accepts the wrapped body shown in the docs ({ok:true, result:{…}})', () => {
    const e = parseZaloUpdate({ ok: true, result: zaloTextUpdate('Xin chào') }, NOW);
    expect(e).toMatchObject({ kind: 'text', text: 'Xin chào', chatId: CHAT });
  });

  it('replies to chat.id, not from.id, and falls back to from.id when chat is missing', () => {
    const u = zaloTextUpdate('hi') as { message: Record<string, unknown> };
    u.message.chat = { id: 'group000000000000001', chat_type: 'GROUP' };
    expect(parseZaloUpdate(u, NOW)).toMatchObject({ chatId: 'group000000000000001', userId: CHAT });
    delete u.message.chat;
    expect(parseZaloUpdate(u, NOW)).toMatchObject({ chatId: CHAT });
  });

  it('keeps a number answering offered choices as text (the engine maps it)', () => {
    expect(parseZaloUpdate(zaloTextUpdate('2'), NOW)).toMatchObject({ kind: 'text', text: '2' });
  });

  it('recognises /start /help /menu /lienhe with a slash only', () => {
    expect(parseZaloUpdate(zaloTextUpdate('/start'), NOW)).toMatchObject({ kind: 'command', command: 'start' });
    expect(parseZaloUpdate(zaloTextUpdate(' /Help '), NOW)).toMatchObject({ kind: 'command', command: 'help' });
    expect(parseZaloUpdate(zaloTextUpdate('/menu'), NOW)).toMatchObject({ kind: 'command', command: 'menu' });
    expect(parseZaloUpdate(zaloTextUpdate('/lienhe'), NOW)).toMatchObject({ kind: 'command', command: 'lienhe' });
    expect(parseZaloUpdate(zaloTextUpdate('/liênhệ'), NOW)).toMatchObject({ kind: 'command', command: 'lienhe' });
    expect(parseZaloUpdate(zaloTextUpdate('menu'), NOW)).toMatchObject({ kind: 'text', text: 'menu' });
    expect(parseZaloUpdate(zaloTextUpdate('/unknown'), NOW)).toMatchObject({ kind: 'text' });
    expect(commandOf('/start@bot.Fake')).toBe('start');
  });

  it('marks stickers, images (photo or photo_url), voice and "unsupported" events as unsupported', () => {
    const cases = [
      mediaUpdate('message.sticker.received', { sticker: 'bfe458bf64fa8da4d4eb', url: 'https://zalo-api.zadn.vn/s.png' }),
      mediaUpdate('message.image.received', { photo_url: 'https://photo-zalo.example/p.jpg', caption: 'ảnh CCCD', message_type: 'CHAT_PHOTO' }),
      mediaUpdate('message.image.received', { photo: 'https://photo-zalo.example/p.jpg' }),
      mediaUpdate('message.voice.received', { voice_url: 'https://voice-zalo.example/v.aac', message_type: 'CHAT_VOICE' }),
      mediaUpdate('message.unsupported.received', {}),
      mediaUpdate('message.file.received', {}),
    ];
    for (const u of cases) {
      const e = parseZaloUpdate(u, NOW);
      expect(e).toMatchObject({ kind: 'unsupported', chatId: CHAT, updateKey: `${u.event_name}:aa11bb22cc33dd44ee55` });
      expect(e?.text).toBeUndefined();
    }
  });

  it('returns null for non-message events, empty bodies and the {ok:true, result:{}} edge case', () => {
    expect(parseZaloUpdate({ event_name: 'bot.added.to.group', message: {} }, NOW)).toBeNull();
    expect(parseZaloUpdate({ event_name: 'user.follow' }, NOW)).toBeNull();
    expect(parseZaloUpdate(undefined, NOW)).toBeNull();
    expect(parseZaloUpdate({}, NOW)).toBeNull();
    expect(parseZaloUpdate({ ok: true, result: {} }, NOW)).toBeNull();
  });

  it('throws ZaloUpdateError on malformed updates', () => {
    const bad: unknown[] = [
      'just a string',
      [1, 2],
      { message: { text: 'no event name' } },
      { event_name: 42 },
      { event_name: 'message.text.received' },
      { event_name: 'message.text.received', message: { message_id: 'x', text: 'no chat' } },
      { event_name: 'message.text.received', message: { chat: { id: CHAT }, text: 'no id' } },
      { event_name: 'message.text.received', message: { message_id: 'x', chat: { id: CHAT } } },
      { event_name: 'message.text.received', message: { message_id: 'x', chat: { id: { nested: true } }, text: 'hi' } },
      { ok: true, result: 'nope' },
    ];
    for (const b of bad) expect(() => parseZaloUpdate(b, NOW), JSON.stringify(b)).toThrow(ZaloUpdateError);
  });

  it('is lenient with numeric ids, dates in seconds or as strings, and extra fields', () => {
    const e = parseZaloUpdate(
      {
        event_name: 'message.text.received',
        extra: 'kept',
        message: { message_id: 12345, date: '1749632637', chat: { id: 987654321 }, from: { id: 987654321 }, text: 'hi', quote: {} },
      },
      NOW,
    );
    expect(e).toMatchObject({ chatId: '987654321', updateKey: 'message.text.received:12345', receivedAt: new Date(1749632637000), sequence: 1749632637000 });
    const noDate = parseZaloUpdate({ event_name: 'message.text.received', message: { message_id: 'm', chat: { id: 'c' }, text: 'x' } }, NOW);
    expect(noDate).toMatchObject({ receivedAt: NOW, userId: null });
    expect(noDate).not.toHaveProperty('sequence'); // no time from Zalo: arrival order decides
  });

  it('cleans the text (NUL, lone surrogates, zero-width and bidi junk out, NFC) and the ids it stores', () => {
    const junk = (t: string) => `\u0000${t}\udc00\u200d\u202d\u2069`;
    expect(parseZaloUpdate(zaloTextUpdate(junk('Lệ phí kết hôn?'.normalize('NFD'))), NOW)).toMatchObject({ kind: 'text', text: 'Lệ phí kết hôn?' });
    expect(parseZaloUpdate(zaloTextUpdate('\ufeff/help\u0000'), NOW)).toMatchObject({ kind: 'command', command: 'help' });
    const e = parseZaloUpdate(zaloTextUpdate('hi', { chatId: junk(CHAT), messageId: junk('m1') }), NOW);
    expect(e).toMatchObject({ chatId: CHAT, userId: CHAT, updateKey: 'message.text.received:m1' });
    // an id that is nothing but junk is a malformed update (400), not a row the database refuses (503)
    expect(() => parseZaloUpdate(zaloTextUpdate('hi', { chatId: '\u0000\u200b' }), NOW)).toThrow(ZaloUpdateError);
  });

  it('a text with nothing readable left after cleaning is unsupported, like a sticker', () => {
    const e = parseZaloUpdate(zaloTextUpdate('\u0000\u200b\ud800 \u2066'), NOW);
    expect(e).toMatchObject({ kind: 'unsupported' });
    expect(e).not.toHaveProperty('text');
  });

  it('treats a blank text as unsupported and clips very long text to the event limit', () => {
    expect(parseZaloUpdate(zaloTextUpdate('   '), NOW)).toMatchObject({ kind: 'unsupported' });
    const long = parseZaloUpdate(zaloTextUpdate('a'.repeat(25_000)), NOW);
    expect(long?.text).toHaveLength(20_000);
  });
});
