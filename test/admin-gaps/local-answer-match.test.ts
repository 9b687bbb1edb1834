import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalAnswers, wordSimilarity } from '../../src/admin/vocabulary/local-answers.ts';
import { LocalKnowledgeStore } from '../../src/storage/local-knowledge-store.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';

/** Local answers a commune might write, several close to procedure questions on purpose. */
const ANSWERS = [
  { topic: 'Gửi xe', examples: ['Có chỗ gửi xe máy ở trung tâm không?', 'gửi xe ở đâu khi đến làm thủ tục'], answer: 'Bãi gửi xe ở cổng sau.' },
  { topic: 'Quầy khai sinh', examples: ['nộp hồ sơ khai sinh ở quầy số mấy', 'làm khai sinh ở quầy nào'], answer: 'Quầy số 2.' },
  { topic: 'Photo', examples: ['trung tâm có máy photo không', 'photo giấy tờ ở đâu'], answer: 'Có máy photo ở sảnh, 500 đồng một trang.' },
  { topic: 'Lịch làm việc thứ bảy', examples: ['thứ bảy trung tâm có làm việc không', 'sáng thứ 7 có mở cửa không'], answer: 'Sáng thứ Bảy 7:30–11:30.' },
  { topic: 'Đăng ký kết hôn ngày đẹp', examples: ['có đăng ký kết hôn vào chủ nhật được không'], answer: 'Không, chỉ trong giờ làm việc.' },
];

const questions = (file: string): string[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { question: string }).question);

describe('matching a message to a local answer', () => {
  let t: TestDb;
  let answers: LocalAnswers;
  beforeAll(async () => {
    t = await openTestDb();
    const store = new LocalKnowledgeStore(t.db);
    for (const a of ANSWERS) await store.addAnswer({ ...a, createdBy: 'quantri' });
    answers = await LocalAnswers.load(store);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('fires for messages that say nearly what an example says, with or without diacritics', () => {
    expect(answers.match('Trung tâm có chỗ gửi xe máy không ạ')?.topic).toBe('Gửi xe');
    expect(answers.match('co cho gui xe may o trung tam ko')?.topic).toBe('Gửi xe');
    expect(answers.match('Thứ bảy trung tâm có làm việc không?')?.topic).toBe('Lịch làm việc thứ bảy');
    expect(answers.match('làm khai sinh ở quầy nào vậy')?.topic).toBe('Quầy khai sinh');
  });

  it('does not fire for any question of the development and hold-out sets (procedure questions)', () => {
    const all = [...questions('test/fixtures/dev-questions.jsonl'), ...questions('test/fixtures/holdout-questions.jsonl')];
    expect(all.length).toBeGreaterThan(250);
    const fired = all.map((q) => [q, answers.match(q)?.topic] as const).filter(([, topic]) => topic);
    expect(fired).toEqual([]);
  });

  it('does not fire for near misses that ask something else', () => {
    for (const q of [
      'đăng ký khai sinh cần giấy tờ gì',
      'khai sinh cho con ở đâu',
      'đăng ký kết hôn cần những gì',
      'gửi hồ sơ qua bưu điện được không',
      'làm việc với cán bộ hộ tịch',
      'xe máy bị mất giấy đăng ký thì làm sao',
    ]) {
      expect(answers.match(q), q).toBeNull();
    }
  });

  it('scores by shared content words, the fillers left out', () => {
    expect(wordSimilarity('Xin hỏi trung tâm có máy photo không ạ?', 'trung tâm có máy photo không')).toEqual({ score: 1, shared: 5 });
    expect(wordSimilarity('ạ ơi', 'vâng ạ').shared).toBe(0);
  });
});
