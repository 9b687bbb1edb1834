import { describe, expect, it } from 'vitest';
import { choiceId, parseChoiceId } from '../src/domain/types.ts';

describe('typed choice ids', () => {
  it('round-trips every kind', () => {
    expect(parseChoiceId(choiceId.procedure('1.001193'))).toEqual({ kind: 'proc', code: '1.001193' });
    expect(parseChoiceId(choiceId.aspect('fee'))).toEqual({ kind: 'aspect', aspect: 'fee' });
    expect(parseChoiceId(choiceId.allDocuments())).toEqual({ kind: 'docs' });
    expect(parseChoiceId(choiceId.lifeEvent('sinh-con'))).toEqual({ kind: 'event', id: 'sinh-con' });
    expect(parseChoiceId(choiceId.staff())).toEqual({ kind: 'staff' });
    expect(parseChoiceId(choiceId.bot())).toEqual({ kind: 'bot' });
    expect(parseChoiceId(choiceId.guideStart('1.001193'))).toEqual({ kind: 'guide', action: 'start', code: '1.001193' });
    expect(parseChoiceId(choiceId.guideAnswer('c2', 'unknown'))).toEqual({ kind: 'guide', action: 'answer', caseId: 'c2', answer: 'unknown' });
    expect(parseChoiceId(choiceId.guide('online'))).toEqual({ kind: 'guide', action: 'online' });
  });
  it('an unknown or malformed id is unknown, never a guess', () => {
    expect(parseChoiceId('aspect:weather')).toEqual({ kind: 'unknown', raw: 'aspect:weather' });
    expect(parseChoiceId('proc:')).toEqual({ kind: 'unknown', raw: 'proc:' });
    expect(parseChoiceId('nonsense')).toEqual({ kind: 'unknown', raw: 'nonsense' });
    expect(parseChoiceId('guide:a:c1:maybe')).toEqual({ kind: 'unknown', raw: 'guide:a:c1:maybe' });
    expect(parseChoiceId('guide:online:extra')).toEqual({ kind: 'unknown', raw: 'guide:online:extra' });
  });
});
