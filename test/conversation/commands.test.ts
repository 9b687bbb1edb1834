import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Commands } from '../../src/conversation/commands.ts';
import { EMPTY_PROFILE } from '../../src/knowledge/commune-profile.ts';
import { EMPTY_VOCABULARY } from '../../src/knowledge/vocabulary.ts';
import { ProcedureStore } from '../../src/storage/procedure-store.ts';
import { smallAssistant } from '../helpers/assistant.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';

/** The life-event menu over the real procedures: a procedure an admin excluded is not listed. */
describe('the menu', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
    await smallAssistant(t.db); // indexes the small knowledge base
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const vocabulary = { ...EMPTY_VOCABULARY, lifeEvents: [{ id: 'sinh-con', name: 'Sinh con', phrases: ['sinh con'], codes: ['1.001193', '1.004222'] }] };

  it('lists the life event’s procedures, without those excluded by an admin', async () => {
    const all = await new Commands({ profile: EMPTY_PROFILE, vocabulary, procedures: new ProcedureStore(t.db) }).lifeEvent('event:sinh-con', 'vi');
    expect(all!.pendingChoices.map((c) => c.id)).toEqual(['proc:1.001193', 'proc:1.004222']);
    const some = await new Commands({ profile: EMPTY_PROFILE, vocabulary, procedures: new ProcedureStore(t.db), isExcluded: (c) => c === '1.004222' }).lifeEvent('event:sinh-con', 'vi');
    expect(some!.pendingChoices.map((c) => c.id)).toEqual(['proc:1.001193']);
    expect(some!.messages[0]!.text).not.toContain('thường trú');
  });
});
