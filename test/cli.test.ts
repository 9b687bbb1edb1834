import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverDatabaseForApp } from './helpers/db.ts';

/** The command-line tools as a person runs them, on a small knowledge base (real records from the listing). */
const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');
const SMALL = path.resolve('test/fixtures/knowledge-small');

describe('command-line tools', () => {
  let t: Awaited<ReturnType<typeof serverDatabaseForApp>> | undefined;
  let work: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-test-'));
    const knowledge = path.join(work, 'knowledge');
    fs.cpSync(SMALL, knowledge, { recursive: true });
    // On the server run, the tools get a database of their own; on PGlite, a data folder of their own.
    t = await serverDatabaseForApp();
    env = {
      ...process.env,
      KNOWLEDGE_DIR: knowledge,
      DATA_DIR: path.join(work, 'data'),
      DATABASE_URL: t?.url ?? '',
      LOG_LEVEL: 'silent',
    };
  });
  afterAll(async () => {
    await t?.drop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const tool = (script: string, args: string[]) => run(TSX, [`src/cli/${script}.ts`, ...args], { env });

  /** Runs `npm start`'s entry point until it says it is ready, then checks the server and stops it with SIGTERM. */
  async function startOnce(): Promise<{ ready: string; health: number; chat: unknown; code: number | null }> {
    const child = spawn(TSX, ['src/cli/start.ts'], { env: { ...env, PORT: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const ready = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        const m = /Sẵn sàng[^\n]*/.exec(stderr);
        if (m) resolve(m[0]);
      });
      child.on('exit', (code) => reject(new Error(`start exited ${code}: ${stderr}`)));
    });
    const url = /Web chat: (\S+)/.exec(ready)![1]!;
    const health = (await fetch(new URL('/healthz', url))).status;
    const chat = await (
      await fetch(new URL('/api/chat', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversationId: 'cli-test-1', text: 'đăng ký tạm trú cần gì' }) })
    ).json();
    const code = await new Promise<number | null>((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    return { ready, health, chat, code };
  }

  it('start serves the web chat once the knowledge base is ready, stops cleanly, and a second start reuses the index', async () => {
    const first = await startOnce();
    expect(first.ready).toMatch(/Sẵn sàng sau [\d.]+ s: 12 thủ tục/);
    expect(first.health).toBe(200);
    expect(JSON.stringify(first.chat)).toContain('(mã 1.004194)');
    expect(first.code).toBe(0);
    const second = await startOnce();
    expect(second.ready).toMatch(/Sẵn sàng/);
  });

  it('eval writes exactly one JSON line per question on stdout and the metrics on stderr', async () => {
    const questions = path.join(work, 'q.jsonl');
    fs.writeFileSync(
      questions,
      [
        JSON.stringify({ id: 'a', question: 'làm giấy khai sinh cho con', gold_codes: ['1.001193'] }),
        'not json',
        JSON.stringify({ id: 'b', question: 'dang ky ket hon', gold_codes: ['1.000894'] }),
        JSON.stringify({ id: 'c', question: '   ' }),
      ].join('\n'),
    );
    const { stdout, stderr } = await tool('eval', ['--questions', questions]);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', 'c']);
    for (const l of lines) expect(Object.keys(l).sort()).toEqual(['answer', 'decision', 'id', 'procedures']);
    expect(lines[0].decision).toBe('answer');
    expect(lines[0].answer).toContain('(mã 1.001193)');
    expect(lines[0].procedures[0]).toBe('1.001193');
    expect(lines[1].procedures[0]).toBe('1.000894');
    expect(lines[1].procedures.length).toBeLessThanOrEqual(10);
    expect(lines[2].procedures).toEqual([]);
    expect(lines[2].decision).toBe('no_answer');
    expect(stderr).toMatch(/:2: bỏ qua dòng không đọc được/);
    expect(stderr).toMatch(/n=2 hit@1=1\.000 hit@3=1\.000 hit@10=1\.000 MRR=1\.000/);
  });

  it('eval judges labelled questions: labels, decisions and emergency numbers', async () => {
    const questions = path.join(work, 'labelled.jsonl');
    fs.writeFileSync(
      questions,
      [
        JSON.stringify({ id: 'e', question: 'cháy nhà cứu với', label: 'emergency', decision: 'emergency', emergency_number: '114' }),
        JSON.stringify({ id: 'g', question: 'xin chào', label: 'greeting', decision: 'answer' }),
        JSON.stringify({ id: 'f', question: 'còn lệ phí thì sao', label: 'follow_up', decision: 'answer', gold_codes: ['1.004194'], aspect: 'fee', history: ['đăng ký tạm trú cần giấy tờ gì'] }),
      ].join('\n'),
    );
    const { stdout, stderr } = await tool('eval', ['--questions', questions]);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.decision)).toEqual(['emergency', 'answer', 'answer']);
    expect(lines[2].procedures[0]).toBe('1.004194');
    expect(stderr).toMatch(/label \(non-procedure\): 2\/2/);
    expect(stderr).toMatch(/emergency number: 1\/1/);
    expect(stderr).toMatch(/facts for the aspect asked: 1\/1/);
    expect(stderr).toMatch(/answers with invented numbers: 0\/1/);
  });

  it('ask prints the answer as a citizen sees it, or the JSON decision; a conversation id keeps the context', async () => {
    const plain = await tool('ask', ['đăng', 'ký', 'tạm', 'trú', 'cần', 'giấy', 'tờ', 'gì']);
    expect(plain.stdout).toContain('Đăng ký tạm trú (mã 1.004194)');
    expect(plain.stdout).toMatch(/Giấy tờ phải nộp:|Trường hợp riêng:/);
    await tool('ask', ['--conversation', 'c1', 'đăng ký tạm trú cần giấy tờ gì']);
    const json = await tool('ask', ['--json', '--conversation', 'c1', 'còn lệ phí thì sao']);
    const out = JSON.parse(json.stdout);
    expect(Object.keys(out).sort()).toEqual(['answer', 'decision', 'procedures']);
    expect(out).toMatchObject({ decision: 'answer', procedures: ['1.004194'] });
    expect(out.answer).toContain('Lệ phí');
  });

  it('search prints the top procedures with code, score, level and title', async () => {
    const { stdout } = await tool('search', ['cắt', 'khẩu', '--limit', '3']);
    expect(stdout).toMatch(/ 1\. 1\.003197 +[\d.]+ +\[Cấp xã\] +Xóa đăng ký thường trú/);
  });

  it('search refuses an empty question with a clear message and exit code 2', async () => {
    const err = await tool('search', ['  ']).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toMatch(/cách dùng/);
  });

  it('ingest --from reports bad lines by number, skips them and imports the rest', async () => {
    const listing = path.join(work, 'listing.jsonl');
    const sample = fs.readFileSync(path.resolve('test/fixtures/listing-sample.jsonl'), 'utf8').split('\n').filter(Boolean);
    fs.writeFileSync(listing, [sample[0], '{"broken": ', sample[1]].join('\n'));
    const { stderr } = await tool('ingest', ['--from', listing]);
    expect(stderr).toMatch(/listing\.jsonl:2: bỏ qua/);
    const written = fs.readFileSync(path.join(env.KNOWLEDGE_DIR!, 'procedures.jsonl'), 'utf8').trim().split('\n');
    expect(written).toHaveLength(2);
  });

  it('ingest --from several files tells their formats apart, merges by code and counts per source', async () => {
    const listing = path.join(work, 'listing-2.jsonl');
    const sample = fs.readFileSync(path.resolve('test/fixtures/listing-sample.jsonl'), 'utf8').split('\n').filter(Boolean);
    fs.writeFileSync(listing, sample.slice(0, 2).join('\n'));
    // a dated portal record for the listing's first code (1.001193) replaces the undated listing record
    const portal = path.join(work, 'portal.jsonl');
    const portalLines = fs.readFileSync(path.resolve('test/fixtures/portal-sample.jsonl'), 'utf8').split('\n').filter(Boolean);
    const twin = { ...JSON.parse(portalLines[0]!), code: '1.001193', codeNotation: '1.001193' };
    fs.writeFileSync(portal, [JSON.stringify(twin), '{"broken": ', portalLines[1]].join('\n'));
    const bqp = path.resolve('test/fixtures/bqp-sample.jsonl');
    const { stdout, stderr } = await tool('ingest', ['--from', listing, '--from', portal, '--from', bqp]);
    expect(stderr).toMatch(/portal\.jsonl:2: bỏ qua: bad JSON/);
    expect(stdout).toMatch(/listing-2\.jsonl \[national listing\]: đọc 2, bỏ qua 0, giữ 1, bị thay 1, thay 0/);
    expect(stdout).toMatch(/portal\.jsonl \[portal API\]: đọc 3, bỏ qua 1, giữ 2, bị thay 0, thay 1/);
    expect(stdout).toMatch(/bqp-sample\.jsonl \[defence ministry \(BQP\)\]: đọc 7, bỏ qua 0, giữ 7, bị thay 0, thay 0/);
    const written = fs
      .readFileSync(path.join(env.KNOWLEDGE_DIR!, 'procedures.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { code: string; origin?: string; urlKind?: string });
    expect(written).toHaveLength(10);
    expect(written.find((p) => p.code === '1.001193')).toMatchObject({ origin: 'portal', urlKind: 'page' });
    expect(written.filter((p) => p.origin === 'bqp').every((p) => p.urlKind === 'search')).toBe(true);
  });

  it('ingest --from a file with nothing usable keeps the previous knowledge base', async () => {
    const before = fs.readFileSync(path.join(env.KNOWLEDGE_DIR!, 'procedures.jsonl'), 'utf8');
    const listing = path.join(work, 'garbage.jsonl');
    fs.writeFileSync(listing, 'garbage\n\u0000\u0001\n');
    const err = await tool('ingest', ['--from', listing]).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toMatch(/giữ nguyên cơ sở tri thức cũ/);
    expect(fs.readFileSync(path.join(env.KNOWLEDGE_DIR!, 'procedures.jsonl'), 'utf8')).toBe(before);
  });

  it('rejects invalid configuration at start-up with one clear message', async () => {
    const err = await run(TSX, ['src/cli/start.ts'], { env: { ...env, DATABASE_URL: 'mysql://nope' } }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toMatch(/DATABASE_URL must be a postgres/);
  });
});
