import { describe, expect, it } from 'vitest';
import { choiceId, parseChoiceId } from '../src/domain/types.ts';

describe('typed choice ids', () => {
  it('round-trips every kind', () => {
    expect(parseChoiceId(choiceId.procedure('1.001193'))).toEqual({ kind: 'proc', code: '1.001193' });
    expect(parseChoiceId(choiceId.aspect('fee'))).toEqual({ kind: 'aspect', aspect: 'fee' });
    expect(parseChoiceId(choiceId.allDocuments())).toEqual({ kind: 'docs' });
    expect(parseChoiceId(choiceId.lifeEvent('sinh-con'))).toEqual({ kind: 'event', id: 'sinh-con' });
  });
  it('an unknown or malformed id is unknown, never a guess', () => {
    expect(parseChoiceId('aspect:weather')).toEqual({ kind: 'unknown', raw: 'aspect:weather' });
    expect(parseChoiceId('proc:')).toEqual({ kind: 'unknown', raw: 'proc:' });
    expect(parseChoiceId('nonsense')).toEqual({ kind: 'unknown', raw: 'nonsense' });
  });
});
