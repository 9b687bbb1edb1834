import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnowledgeAdmin, type KnowledgeAdmin } from '../../src/admin/knowledge/index.ts';
import { type RunningApp, startApp } from '../../src/app/server.ts';
import { loadConfig } from '../../src/config.ts';
import { SMALL_KB } from '../helpers/assistant.ts';
import { serverDatabaseForApp } from '../helpers/db.ts';
import { nationalLines, withFee } from './knowledge-app.ts';

const TAM_TRU = '1.004194';
const ACTOR = { id: null, username: 'quantri' };
const QUESTION = 'lệ phí đăng ký tạm trú là bao nhiêu';

/**
 * Knowledge versions in the running product (small knowledge base): an import applied while it runs, then the
 * citizen's answer on the web chat; a rollback; and a restart on the same storage, which must serve the applied
 * version rather than the committed file again.
 */
describe('knowledge versions in the running product', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'knowledge-product-'));
  let storage: { url: string | undefined; drop(): Promise<void> };
  let running: RunningApp | null = null;
  let knowledge: KnowledgeAdmin;
  let n = 0;

  async function start(): Promise<void> {
    const config = loadConfig({ KNOWLEDGE_DIR: SMALL_KB, DATA_DIR: path.join(work, 'data'), DATABASE_URL: storage.url ?? '', PORT: '0' });
    running = await startApp(config, { logger: pino({ level: 'silent' }) });
    knowledge = createKnowledgeAdmin(await running.ready, { logger: pino({ level: 'silent' }) });
  }
  async function stop(): Promise<void> {
    await running?.close();
    running = null;
  }

  beforeAll(async () => {
    storage = await serverDatabaseForApp();
    await start();
  }, 180_000);
  afterAll(async () => {
    await stop();
    await storage?.drop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  async function ask(text: string): Promise<string> {
    const r = await fetch(new URL('/api/chat', running!.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: `knowledge-product-${++n}-0000`, text }),
    });
    expect(r.status).toBe(200);
    const { messages } = (await r.json()) as { messages: Array<{ text: string }> };
    return messages.map((m) => m.text).join('\n\n');
  }

  it('after an import is applied the bot answers the new fee; after activating version 1, the old one', async () => {
    expect(await ask(QUESTION)).toMatch(/7[.,]000/);
    expect(await ask(QUESTION)).not.toMatch(/9[.,]000/);
    const lines = nationalLines([TAM_TRU]).map((l) => withFee(l, 'Trực tuyến3 Ngày làm việc7,000 Việt Nam Đồng', 'Trực tuyến3 Ngày làm việc9,000 Việt Nam Đồng'));
    const preview = await knowledge.versions.importUpload(Readable.from([Buffer.from(lines.join('\n'))]), { mode: 'merge', actor: ACTOR });
    expect(preview).toMatchObject({ changed: 1, added: 0, removed: 0 });
    // previewed only: the bot still answers the old fee
    expect(await ask(QUESTION)).not.toMatch(/9[.,]000/);
    expect(await knowledge.versions.apply(preview.id, ACTOR)).toEqual({ id: preview.id, status: 'applying' });
    await knowledge.versions.settled(preview.id);
    expect((await knowledge.versions.preview(preview.id))?.status).toBe('applied');
    expect(await ask(QUESTION)).toMatch(/9[.,]000/);

    expect(await knowledge.versions.activate(1, ACTOR)).toMatchObject({ version: { id: 1, active: true } });
    const back = await ask(QUESTION);
    expect(back).toMatch(/7[.,]000/);
    expect(back).not.toMatch(/9[.,]000/);
    // and forward again, for the restart below
    expect(await knowledge.versions.activate(2, ACTOR)).toMatchObject({ version: { id: 2, active: true } });
    expect(await ask(QUESTION)).toMatch(/9[.,]000/);
  }, 120_000);

  it('a restart serves the applied version, not the committed knowledge base again', async () => {
    await stop();
    await start();
    expect(await ask(QUESTION)).toMatch(/9[.,]000/);
    const versions = await knowledge.versions.versions();
    expect(versions.map((v) => [v.id, v.active])).toEqual([
      [2, true],
      [1, false],
    ]);
  }, 180_000);
});
