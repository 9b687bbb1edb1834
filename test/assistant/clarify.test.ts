import { describe, expect, it } from 'vitest';
import { resolveChoice } from '../../src/assistant/answer/clarify.ts';
import { fold } from '../../src/retrieval/text.ts';

const idCard = [
  { id: 'proc:1.014061', label: 'Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên' },
  { id: 'proc:1.014062', label: 'Cấp thẻ căn cước cho người dưới 14 tuổi' },
];
const marriage = [
  { id: 'proc:1.000894', label: 'Thủ tục đăng ký kết hôn' },
  { id: 'proc:2.000806', label: 'Trường hợp khác: Đăng ký kết hôn có yếu tố nước ngoài' },
];

describe('a typed answer to a clarifying question', () => {
  it('an age picks the variant whose age range holds it', () => {
    expect(resolveChoice(fold('cháu mới 10 tuổi thôi ạ'), idCard)?.id).toBe('proc:1.014062');
    expect(resolveChoice(fold('con 15 tuoi'), idCard)?.id).toBe('proc:1.014061');
    expect(resolveChoice(fold('con tròn 14 tuổi'), idCard)?.id).toBe('proc:1.014061');
  });
  it('words only one option has pick it; common words ("có", "giấy") do not', () => {
    expect(resolveChoice(fold('vợ tôi là người nước ngoài'), marriage)?.id).toBe('proc:2.000806');
    expect(resolveChoice(fold('mất bao lâu thì có giấy'), marriage)).toBeNull();
  });
});
