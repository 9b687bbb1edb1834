import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInjectionWords } from '../../src/assistant/guardrails/injection/words.ts';
import { loadAspectPhrases } from '../../src/assistant/router/aspects.ts';
import { loadEmergencyCues } from '../../src/assistant/router/emergency.ts';
import { loadLanguageCues } from '../../src/assistant/router/language.ts';
import { loadRouterRules } from '../../src/assistant/router/rules.ts';
import { loadCasePhrases } from '../../src/knowledge/case-phrases.ts';
import { loadCommuneProfile } from '../../src/knowledge/commune-profile.ts';
import { loadGuideQuestions } from '../../src/knowledge/guide-questions.ts';
import { loadIntents } from '../../src/knowledge/intents.ts';
import { SHIPPED_KNOWLEDGE_DIR } from '../../src/knowledge/phrase-lists.ts';
import { loadVocabulary } from '../../src/knowledge/vocabulary.ts';

/** Every JSON file of knowledge/ and the loader that validates it. */
const LOADERS: Record<string, (dir: string) => unknown> = {
  'aspects.json': loadAspectPhrases,
  'case-phrases.json': loadCasePhrases,
  'commune-profile.json': loadCommuneProfile,
  'emergency.json': loadEmergencyCues,
  'guide-questions.json': loadGuideQuestions,
  'injection.json': loadInjectionWords,
  'intents.json': loadIntents,
  'language-cues.json': loadLanguageCues,
  'router-rules.json': loadRouterRules,
  'vocabulary.json': loadVocabulary,
};

describe('shipped knowledge files', () => {
  const shipped = fs.readdirSync(SHIPPED_KNOWLEDGE_DIR).filter((f) => f.endsWith('.json'));

  it('every JSON file in knowledge/ has a loader', () => {
    expect(shipped.sort()).toEqual(Object.keys(LOADERS).sort());
  });

  it.each(Object.keys(LOADERS))('%s loads and validates', (file) => {
    expect(() => LOADERS[file]!(SHIPPED_KNOWLEDGE_DIR)).not.toThrow();
  });
});

/** A copy of a shipped file, changed by `edit`, alone in a fresh folder. */
function editedCopy(file: string, edit: (json: any) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phrase-lists-'));
  const json = JSON.parse(fs.readFileSync(path.join(SHIPPED_KNOWLEDGE_DIR, file), 'utf8'));
  edit(json);
  fs.writeFileSync(path.join(dir, file), JSON.stringify(json));
  return dir;
}

describe('a phrase-list file with a mistake is rejected at load, naming the file, the list and the phrase', () => {
  it.each<[string, string, (json: any) => void, string]>([
    ['router-rules.json', 'a duplicate', (j) => j.smallTalk.markers.push('cam on'), 'router-rules.json: smallTalk.markers: "cam on" is listed twice'],
    ['router-rules.json', 'a duplicate', (j) => j.human.phrases.push(j.human.phrases[0]), 'router-rules.json: human.phrases: "gap can bo" is listed twice'],
    [
      'router-rules.json',
      'a phrase in two groups of one union',
      (j) => j.outOfScope.politics.push('thoi tiet'),
      'router-rules.json: outOfScope.politics: "thoi tiet" is listed twice (in outOfScope.weatherAndPrices and outOfScope.politics)',
    ],
    ['router-rules.json', 'an unfolded phrase', (j) => j.absurd.push('Mặt trăng'), 'router-rules.json: absurd: "Mặt trăng" is not in folded form (write "mat trang")'],
    ['router-rules.json', 'a phrase among single words', (j) => j.smallTalk.words.push('xin chao'), 'router-rules.json: smallTalk.words: "xin chao" is not one word'],
    ['router-rules.json', 'an unknown list', (j) => (j.smallTalks = []), 'router-rules.json: (top level): Unrecognized key: "smallTalks"'],
    ['emergency.json', 'a duplicate', (j) => j.fire.push('chay nha'), 'emergency.json: fire: "chay nha" is listed twice'],
    ['emergency.json', 'a missing list', (j) => delete j.urgent, 'emergency.json: urgent:'],
    ['aspects.json', 'a duplicate', (j) => j.aspects[0].phrases.push('giay to'), 'aspects.json: aspects.phrases: "giay to" is listed twice'],
    [
      'aspects.json',
      'a phrase in two aspects',
      (j) => j.aspects[1].phrases.push('giay to'),
      'aspects.json: aspects.phrases: "giay to" is listed twice (in documents and fee)',
    ],
    ['injection.json', 'a duplicate', (j) => j.ignore.verbs.push('bo qua'), 'injection.json: ignore.verbs: "bo qua" is listed twice'],
    [
      'injection.json',
      'a lookaround, which belongs to the grammar',
      (j) => j.reveal.secretsVi.push('cau hinh(?! may)'),
      'injection.json: reveal.secretsVi: "cau hinh(?! may)" is not a folded word',
    ],
    ['injection.json', 'a broken pattern', (j) => j.jailbreak.filters.push('polic(?:y|ies'), 'injection.json: jailbreak.filters: "polic(?:y|ies" is not a valid pattern'],
    ['injection.json', 'an empty list, which would match everywhere', (j) => (j.clause.stops = []), 'injection.json: clause.stops: the list is empty'],
    ['injection.json', 'a duplicate written word', (j) => j.remainder.connectors.push('và'), 'injection.json: remainder.connectors: "và" is listed twice'],
    ['aspects.json', 'an unknown aspect', (j) => (j.aspects[0].aspect = 'papers'), 'aspects.json: aspects.aspect:'],
  ])('%s with %s', (file, _what, edit, message) => {
    const dir = editedCopy(file, edit);
    expect(() => LOADERS[file]!(dir)).toThrow(message);
  });

  it('a file that is not JSON is named', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phrase-lists-'));
    fs.writeFileSync(path.join(dir, 'emergency.json'), '{"fire": [');
    expect(() => loadEmergencyCues(dir)).toThrow(/^emergency\.json: cannot be read as JSON/);
  });
});
