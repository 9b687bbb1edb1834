import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app/server.ts';
import { loadCommuneProfile } from '../../src/knowledge/commune-profile.ts';
import { SESSION_COOKIE } from '../../src/server/auth/types.ts';
import { Accounts, CLI_ACTOR } from '../../src/services/accounts/accounts.ts';
import { DossierService } from '../../src/services/dossiers/service.ts';
import { ProcedureStore } from '../../src/storage/procedure-store.ts';
import { type FakeTelegram, textUpdate } from '../fakes/telegram-server.ts';
import { SMALL_KB } from '../helpers/assistant.ts';
import { type RestartableProduct, restartableProduct, TG_SECRET } from '../helpers/product.ts';
import { signInOverHttp } from '../security/matrix.ts';

const CODE = 'H56.14-240823-0001';
const CHAT = 902;
const PW = 'mat-khau-dai-kiem-thu-1';

/**
 * A status change through the whole product: a Telegram citizen's dossier, a staff member's PATCH over HTTP with a
 * real session and CSRF token, the message on the fake Telegram once; a change left in the outbox when the process
 * stops is sent by the next one, and nothing is sent twice.
 */
describe('a dossier status change reaches the citizen once, across a restart', () => {
  let product: RestartableProduct;
  let telegram: FakeTelegram;

  beforeAll(async () => {
    product = await restartableProduct('dossier-restart-');
    telegram = product.telegram;
  });
  afterAll(async () => {
    await product?.close();
  });

  const start = () => product.start();
  const texts = () => product.texts(CHAT);
  const patch = async (app: RunningApp, session: { cookie: string; csrfToken: string }, body: unknown, csrf = session.csrfToken) =>
    fetch(new URL(`/api/dossiers/${CODE}`, app.url), {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${session.cookie}`, 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });

  it('PATCH pushes the change to Telegram once; a pending change is sent after the restart; done asks the rating', async () => {
    const first = await start();
    await new Accounts(first.db).add({ username: 'lan', role: 'staff', password: PW, displayName: 'Lan' }, CLI_ACTOR);
    // the citizen has talked to the bot (as when giving the code)
    const hello = telegram.pushUpdate(textUpdate('xin chào', { chatId: CHAT }));
    expect((await telegram.postWebhook(new URL('/webhooks/telegram', first.url).toString(), hello, TG_SECRET)).status).toBe(200);
    await telegram.waitFor(() => texts().length === 1);
    const procedure = await new ProcedureStore(first.db).get('1.001193');
    expect(procedure).not.toBeNull();
    const registered = await new DossierService({ db: first.db, profile: loadCommuneProfile(SMALL_KB), logger: pino({ level: 'silent' }) }).register({
      code: CODE, conversationId: `telegram:${CHAT}`, channel: 'telegram', chatId: String(CHAT), procedure, submittedVia: 'online', feeCharged: false,
    });
    expect(registered).toMatchObject({ ok: true, created: true });

    const session = await signInOverHttp(first.url, 'lan', PW);
    // no CSRF token, no change; a supplement without a note is refused in Vietnamese
    expect((await patch(first, session, { status: 'received' }, 'wrong')).status).toBe(403);
    const refused = await patch(first, session, { status: 'supplement' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ ok: false, code: 'bad_request', error: expect.stringContaining('bổ sung') });
    const unknown = await fetch(new URL('/api/dossiers/H00.00-000000-0000', first.url), {
      method: 'PATCH', headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${session.cookie}`, 'x-csrf-token': session.csrfToken }, body: JSON.stringify({ status: 'received' }),
    });
    expect(unknown.status).toBe(404);

    const ok = await patch(first, session, { status: 'received' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, dossier: { code: CODE, status: 'received' } });
    await telegram.waitFor(() => texts().some((t) => t.includes(`Hồ sơ ${CODE}`) && t.includes('Đã tiếp nhận')));
    // the same request again (a retry) changes nothing
    expect((await patch(first, session, { status: 'received' })).status).toBe(200);

    // a change stored while nothing delivers it: left in the outbox when the process stops
    first.dossiers.notify = () => {};
    await first.engine.stop();
    const lan = (await new Accounts(first.db).users.list()).find((u) => u.username === 'lan')!;
    expect(await first.dossiers.setStatus(CODE, lan, 'processing', null)).toMatchObject({ ok: true });
    await product.stop();

    const second = await start();
    await telegram.waitFor(() => texts().some((t) => t.includes('Đang giải quyết')));
    const again = await signInOverHttp(second.url, 'lan', PW);
    expect((await patch(second, again, { status: 'done', note: 'Nhận kết quả tại quầy số 2, mang theo CCCD.' })).status).toBe(200);
    await telegram.waitFor(() => texts().some((t) => t.includes('Bạn có hài lòng')));
    await second.engine.stop();

    const mine = texts().filter((t) => t.includes(CODE));
    expect(mine.filter((t) => t.includes('Đã tiếp nhận'))).toHaveLength(1);
    expect(mine.filter((t) => t.includes('Đang giải quyết'))).toHaveLength(1);
    expect(mine.filter((t) => t.includes('Đã có kết quả'))).toHaveLength(1);
    expect(mine.find((t) => t.includes('Đã có kết quả'))).toContain('Cách nhận kết quả: Nhận kết quả tại quầy số 2, mang theo CCCD.');
    expect(mine.every((t) => t.includes('https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html'))).toBe(true);
    expect(texts().filter((t) => t.includes('Bạn có hài lòng'))).toHaveLength(1);
    const rating = telegram.sent.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(CHAT)).at(-1)!;
    expect(JSON.stringify(rating.payload.reply_markup)).toContain('rate:5');
    expect(texts()).toHaveLength(5); // the greeting's answer, three changes, the rating question
  });
});
