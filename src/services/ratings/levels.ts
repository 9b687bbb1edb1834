import { type Choice, choiceId, type Language, type ReplyMessage } from '../../domain/types.ts';

/**
 * The official five levels of satisfaction, verbatim, best first as citizens see them (numbered 1–5 on Zalo in this
 * order); `level` is what is stored and reported (5 = Rất hài lòng).
 */
export const LEVELS = [
  { level: 5, label: 'Rất hài lòng' },
  { level: 4, label: 'Hài lòng' },
  { level: 3, label: 'Bình thường' },
  { level: 2, label: 'Không hài lòng' },
  { level: 1, label: 'Rất không hài lòng' },
] as const;

export function levelLabel(level: number): string {
  return LEVELS.find((l) => l.level === level)?.label ?? String(level);
}

export const RATING_CHOICES: Choice[] = LEVELS.map((l) => ({ id: choiceId.rate(l.level), label: l.label }));

export function ratingQuestion(lang: Language): ReplyMessage {
  return {
    text:
      lang === 'vi'
        ? 'Bạn có hài lòng với sự hỗ trợ lần này không? Xin chọn một mức đánh giá (không bắt buộc).'
        : 'Were you satisfied with this help? Please pick a level (optional; the levels are the official Vietnamese ones).',
    choices: RATING_CHOICES,
  };
}

export function commentQuestion(lang: Language, level: number): ReplyMessage {
  const label = levelLabel(level);
  return {
    text:
      lang === 'vi'
        ? `Đã ghi nhận: ${label}. Bạn có muốn góp ý thêm không? Nhắn góp ý của bạn, hoặc chọn "Bỏ qua".`
        : `Recorded: ${label}. Any comment? Type it, or choose "Bỏ qua" (skip).`,
    choices: [{ id: choiceId.skip(), label: 'Bỏ qua' }],
  };
}

export function thanksForRating(lang: Language, withComment: boolean): ReplyMessage {
  return {
    text:
      lang === 'vi'
        ? `Cảm ơn bạn đã ${withComment ? 'đánh giá và góp ý' : 'đánh giá'}. Khi cần, bạn cứ nhắn câu hỏi về thủ tục khác.`
        : `Thank you for your ${withComment ? 'rating and comment' : 'rating'}. Ask about any other procedure whenever you need.`,
  };
}

export function alreadyRated(lang: Language): ReplyMessage {
  return {
    text: lang === 'vi' ? 'Đánh giá của bạn cho lần hỗ trợ này đã được ghi nhận trước đó, không thay đổi.' : 'Your rating for this help was already recorded; nothing was changed.',
  };
}

/** A second level pressed while the comment is asked: nothing changes, and the comment is still welcome. */
export function alreadyRatedCommentOpen(lang: Language): ReplyMessage {
  return {
    text: `${alreadyRated(lang).text} ${lang === 'vi' ? 'Bạn vẫn có thể nhắn góp ý, hoặc chọn "Bỏ qua".' : 'You can still type a comment, or choose "Bỏ qua" (skip).'}`,
    choices: [{ id: choiceId.skip(), label: 'Bỏ qua' }],
  };
}

/** "1".."5" typed against the numbered list as shown (1 = Rất hài lòng), or a level's own name. */
export function typedLevel(folded: string): number | null {
  const n = /^\s*([1-5])\s*$/.exec(folded);
  if (n) return LEVELS[Number(n[1]) - 1]!.level;
  const byName: [RegExp, number][] = [
    [/^rat khong hai long$/, 1],
    [/^khong hai long$/, 2],
    [/^binh thuong$/, 3],
    [/^rat hai long$/, 5],
    [/^hai long$/, 4],
  ];
  for (const [re, level] of byName) if (re.test(folded.trim())) return level;
  return null;
}
