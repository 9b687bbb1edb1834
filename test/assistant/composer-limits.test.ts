import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeAnswer } from '../../src/assistant/answer/composer.ts';
import { MAX_MESSAGE_CHARS } from '../../src/assistant/answer/text-fit.ts';
import { renderPlain } from '../../src/assistant/render-plain.ts';
import { AspectSchema } from '../../src/domain/types.ts';
import { loadCasePhrases } from '../../src/knowledge/case-phrases.ts';
import { loadCatalogue } from '../../src/knowledge/catalogue.ts';
import { EMPTY_PROFILE } from '../../src/knowledge/commune-profile.ts';

/**
 * Over the whole knowledge base: whatever the record and the question, a composed message with its choices
 * (as Zalo shows them, numbered in the same message) stays within 2,000 characters.
 */
const knowledge = path.resolve('knowledge');
const all = loadCatalogue(knowledge);
const casePhrases = loadCasePhrases(knowledge);
const questions = [
  '',
  'con tôi sinh ở nhà, không có giấy chứng sinh, nhờ bà nội đi nộp hộ, bố là người nước ngoài, đã quá hạn thì hồ sơ thời hạn lệ phí thế nào',
  'trường hợp ủy quyền cho người khác nộp hồ sơ trực tuyến thì cần giấy tờ gì, bao lâu, nộp ở đâu',
];

describe('composed answers fit Zalo over the whole knowledge base', () => {
  it.each(questions)('question %j, every record, every aspect', (question) => {
    let worst = 0;
    for (const p of all) {
      for (const aspect of AspectSchema.options) {
        const m = composeAnswer(p, aspect, { lang: 'vi', profile: EMPTY_PROFILE, question, casePhrases });
        worst = Math.max(worst, renderPlain([m]).length);
      }
    }
    expect(worst).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  });
});
