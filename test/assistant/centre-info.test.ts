import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Assistant, type AssistantDeps } from '../../src/assistant/assistant.ts';
import { renderPlain } from '../../src/assistant/render-plain.ts';
import { type CommuneProfile, CommuneProfileSchema, EMPTY_PROFILE } from '../../src/knowledge/commune-profile.ts';
import { loadCatalogue } from '../../src/knowledge/catalogue.ts';
import { aliasesByCode, loadVocabulary } from '../../src/knowledge/vocabulary.ts';
import { createEmbedder } from '../../src/retrieval/embeddings/index.ts';
import { indexProcedures } from '../../src/retrieval/indexer.ts';
import { ProcedureSearch } from '../../src/retrieval/search.ts';
import { ConversationStore } from '../../src/storage/conversation-store.ts';
import { ProcedureStore } from '../../src/storage/procedure-store.ts';
import { TurnLog } from '../../src/storage/turn-log.ts';
import { SMALL_KB } from '../helpers/assistant.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';

/** A commune profile an admin filled in (test values, not a real commune's). */
const FILLED: CommuneProfile = CommuneProfileSchema.parse({
  communeName: 'Thử Nghiệm',
  centre: { address: 'Số 1 đường Thử Nghiệm, xã Thử Nghiệm', hotline: '0200 000 111', email: 'motcua@thunghiem.example' },
  hours: {
    weekly: { mon: '07:30-17:00', tue: '07:30-17:00', wed: '07:30-17:00', thu: '07:30-17:00', fri: '07:30-17:00', sat: '07:30-11:30', sun: null },
    lunchBreak: '11:30-13:30',
    holidays: [
      { date: '2027-01-01', name: 'Tết Dương lịch' },
      { from: '2027-02-05', to: '2027-02-10', name: 'Tết Nguyên đán' },
    ],
  },
});

/** Tuesday 1 December 2026, Vietnam time (UTC+7). */
const at = (hhmm: string) => () => new Date(`2026-12-01T${hhmm}:00+07:00`);

/**
 * Questions about the centre itself are answered from the commune profile in force, and only from it: with it
 * filled, the hours (in general, on a day, now), the hotline, the address; with it empty, the bot says it does not
 * know and points to the national portal and /canbo, with no hour or number of its own.
 */
describe('questions about the centre', () => {
  let t: TestDb;
  let deps: AssistantDeps;
  let n = 0;

  beforeAll(async () => {
    t = await openTestDb();
    const embedder = createEmbedder({ kind: 'offline', dimensions: 256 });
    const vocabulary = loadVocabulary(SMALL_KB);
    await indexProcedures(t.db, { procedures: loadCatalogue(SMALL_KB), aliases: aliasesByCode(vocabulary), embedder });
    deps = {
      search: await ProcedureSearch.create(t.db, embedder, vocabulary),
      procedures: new ProcedureStore(t.db),
      conversations: new ConversationStore(t.db),
      turns: new TurnLog(t.db),
      profile: FILLED,
      logger: pino({ level: 'silent' }),
      now: at('09:00'),
    };
  }, 120_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  const ask = async (text: string, over: Partial<AssistantDeps> = {}) => {
    const r = await new Assistant({ ...deps, ...over }).handle({ conversationId: `centre:${++n}`, channel: 'test', text });
    return { ...r, text: renderPlain(r.messages) };
  };

  describe('with the profile filled', () => {
    it('"giờ làm việc của trung tâm": the weekly hours and the lunch break, said to be the centre’s', async () => {
      const r = await ask('giờ làm việc của trung tâm');
      expect(r).toMatchObject({ status: 'centre_info', decision: 'answer', label: 'greeting', outcome: 'answered', procedures: [] });
      expect(r.text).toContain('Thông tin của Trung tâm Phục vụ hành chính công xã Thử Nghiệm');
      expect(r.text).toContain('Giờ làm việc: thứ Hai–thứ Sáu 7:30–17:00; thứ Bảy 7:30–11:30; Chủ nhật nghỉ');
      expect(r.text).toContain('Nghỉ trưa: 11:30–13:30');
      expect(r.text).not.toContain('Tôi không biết');
      expect(r.text).not.toContain('chỉ hỗ trợ về thủ tục');
    });

    it.each([
      ['thứ bảy trung tâm có làm việc không', 'Thứ Bảy: 7:30–11:30'],
      ['chủ nhật xã có mở cửa không', 'Chủ nhật: Trung tâm không làm việc'],
      ['trưa có làm việc không', 'Nghỉ trưa: 11:30–13:30'],
      ['Tết trung tâm có làm việc không', 'Ngày nghỉ lễ sắp tới: Tết Dương lịch 1/1/2027; Tết Nguyên đán 5/2/2027–10/2/2027'],
      ['số điện thoại đường dây nóng', 'Điện thoại: 0200 000 111'],
      ['trung tâm ở đâu', 'Số 1 đường Thử Nghiệm, xã Thử Nghiệm'],
      ['email của trung tâm là gì', 'Email: motcua@thunghiem.example'],
    ])('%s → %s', async (question, line) => {
      const r = await ask(question);
      expect(r.status).toBe('centre_info');
      expect(r.text).toContain(line);
      expect(r.text).not.toContain('Tôi không biết');
    });

    it('holidays typed out of order are said soonest first', async () => {
      const hours = { ...FILLED.hours!, holidays: [...FILLED.hours!.holidays].reverse() };
      const r = await ask('Tết trung tâm có làm việc không', { profile: { ...FILLED, hours } });
      expect(r.text).toContain('Ngày nghỉ lễ sắp tới: Tết Dương lịch 1/1/2027; Tết Nguyên đán 5/2/2027–10/2/2027');
    });

    it('"hôm nay có mở cửa không": open in the morning; at lunch closed, and when it opens again', async () => {
      const morning = await ask('hôm nay trung tâm có mở cửa không');
      expect(morning.text).toContain('Hôm nay (thứ Ba, 1/12): 7:30–11:30, 13:30–17:00');
      expect(morning.text).toContain('Bây giờ Trung tâm đang làm việc.');
      const lunch = await ask('hôm nay trung tâm có mở cửa không', { now: at('12:00') });
      expect(lunch.text).toContain('Bây giờ Trung tâm không làm việc; Trung tâm làm việc trở lại lúc 13:30 thứ Ba, 1/12.');
    });

    it('a fact the profile does not give is said to be unknown, beside the ones it gives', async () => {
      const r = await ask('cổng dịch vụ công của tỉnh và số điện thoại đường dây nóng');
      expect(r.text).toContain('Điện thoại: 0200 000 111');
      expect(r.text).toContain('Tôi không biết cổng dịch vụ công của tỉnh: xã chưa cập nhật cho trợ lý.');
    });

    it('the admin’s own words for the hours are given as they are, never turned into a day’s answer', async () => {
      const profile = CommuneProfileSchema.parse({ centre: { openingHours: 'Sáng 7h30–11h30, chiều 13h30–17h, từ thứ Hai đến thứ Sáu' } });
      const r = await ask('thứ bảy có làm việc không', { profile });
      expect(r.text).toContain('Giờ làm việc: Sáng 7h30–11h30, chiều 13h30–17h, từ thứ Hai đến thứ Sáu');
      expect(r.text).not.toContain('Thứ Bảy:');
    });
  });

  describe('with the profile empty', () => {
    it.each([
      ['giờ làm việc của trung tâm', 'giờ làm việc'],
      ['thứ bảy trung tâm có làm việc không', 'giờ làm việc'],
      ['số điện thoại đường dây nóng', 'số điện thoại'],
      ['trung tâm ở đâu', 'địa chỉ'],
    ])('%s: the bot does not know the %s, says so and points to the portal and /canbo', async (question, fact) => {
      const r = await ask(question, { profile: EMPTY_PROFILE });
      expect(r).toMatchObject({ status: 'centre_info', decision: 'answer' });
      expect(r.text).toContain(`Tôi không biết ${fact} của Trung tâm: xã chưa cập nhật cho trợ lý.`);
      expect(r.text).toContain('https://dichvucong.gov.vn');
      expect(r.text).toContain('/canbo');
      expect(r.text).not.toContain('Thông tin của Trung tâm');
      // no hour, phone number or address of its own
      expect(r.text).not.toMatch(/\d{1,2}:\d{2}|\d{4}/);
    });
  });

  it('a procedure question that mentions the centre is answered as the procedure', async () => {
    const r = await ask('nộp hồ sơ khai sinh ở trung tâm cần gì');
    expect(r).toMatchObject({ decision: 'answer', label: 'procedure', aspect: 'documents' });
    expect(r.procedures[0]).toBe('1.001193');
  });

  it('"con tôi vừa chào đời cần làm giấy gì" is a question about papers, not a greeting', async () => {
    const r = await ask('con tôi vừa chào đời cần làm giấy gì');
    expect(r.status).not.toBe('small_talk');
    expect(r.text).not.toContain('Xin chào! Tôi là trợ lý');
    // a greeting with more words than the small-talk rule allows is still a greeting, and thanks are still thanks
    expect((await ask('Xin cám ơn cháu đã chỉ dẫn tận tình. Chúc cháu mạnh khỏe, công tác tốt.')).status).toBe('small_talk');
    expect((await ask('chào cả nhà, phường mình có trợ lý này hay ghê')).status).toBe('small_talk');
  });
});
