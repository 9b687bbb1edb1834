import type { CommuneProfile } from '../../knowledge/commune-profile.ts';
import type { Language } from '../../domain/types.ts';
import { finish, type Step } from './context.ts';

/** Routing labels a local answer never overrides: they are answered by their own rules whatever the words. */
export const KEPT_LABELS: ReadonlySet<string> = new Set(['emergency', 'injection', 'human', 'case_status']);

/**
 * A staff-written local answer (src/admin/vocabulary/local-answers.ts) when the message says nearly what one of its
 * examples says: "Trung tâm có chỗ gửi xe máy không?" is not in the national listing, the centre knows. Runs
 * before the router's decision stands, since the rules call such a message off-topic; never for a pressed button,
 * an emergency, an injection, a request for a person or a dossier, or an aspect question about the procedure under
 * discussion ("còn lệ phí thì sao"). The reply says whose information it is: the commune's, not the national
 * listing's.
 */
export const localAnswer: Step = {
  name: 'localAnswer',
  async run(ctx) {
    const lookup = ctx.deps.localAnswers;
    if (!lookup || ctx.input.choice || ctx.status || ctx.record) return 'next';
    const routing = ctx.routing;
    if (routing && (KEPT_LABELS.has(routing.label) || (routing.aspectOnly && ctx.state.currentProcedure))) return 'next';
    const found = lookup.match(ctx.text);
    if (!found) return 'next';
    return finish(ctx, 'local_answer', 'procedure', { text: `${citation(ctx.deps.profile, ctx.language)}\n${found.answer}` });
  },
};

/** "Thông tin do Trung tâm Phục vụ hành chính công xã Tân An cung cấp (không phải từ Cổng Dịch vụ công quốc gia):" */
export function citation(profile: CommuneProfile, language: Language): string {
  if (language !== 'vi') return `Information provided by ${centreTitle(profile, language)} (not from the National Public Service Portal):`;
  return `Thông tin do ${centreTitle(profile)} cung cấp (không phải từ Cổng Dịch vụ công quốc gia):`;
}

/** "Trung tâm Phục vụ hành chính công xã Tân An" (the profile's name for it first); in English with "the". */
export function centreTitle(profile: CommuneProfile, language: Language = 'vi'): string {
  if (language !== 'vi') return profile.communeName ? `the Public Administrative Service Center of ${profile.communeName}` : "the commune's Public Administrative Service Center";
  return profile.centre.name ?? `Trung tâm Phục vụ hành chính công ${communeOf(profile.communeName)}`;
}

/** "xã Tân An" from "Tân An" or "Xã Tân An"; "xã" alone when the profile has no name yet. */
function communeOf(name: string | null): string {
  if (!name) return 'xã';
  return /^(xã|phường|thị trấn|đặc khu)\s/iu.test(name) ? name.replace(/^\p{Lu}/u, (c) => c.toLocaleLowerCase('vi')) : `xã ${name}`;
}
