import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyMessage } from '../../../src/domain/types.ts';
import type { InboundEvent } from '../../../src/channels/types.ts';
import { registerWebChat } from '../../../src/channels/web/routes.ts';
import type { WebUpdatesSource } from '../../../src/channels/web/updates.ts';
import { WebUpdatesStore } from '../../../src/storage/web-updates.ts';
import { openTestDb, type TestDb } from '../../helpers/db.ts';
import { addStaff, claimTicket, closeTicket, openTicket, storeOutbound } from './handover-rows.ts';

/**
 * The web chat page in Debian's Chromium (headless, driven by playwright-core) on a phone-sized screen, against
 * the real routes and a scripted `converse`. Skipped only when /usr/bin/chromium is missing and
 * CI_REQUIRE_BROWSER is not set; CI sets it, so there a missing browser fails the suite.
 */

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const REQUIRE_BROWSER = !!process.env.CI_REQUIRE_BROWSER;
const SKIP_REASON = `${CHROMIUM} is not installed (apt-get install -y chromium); set CI_REQUIRE_BROWSER=1 to make this a failure`;

// Playwright adds --headless and a fresh temporary --user-data-dir itself; these are the rest of the flags this
// machine needs (without the background-networking ones Chromium keeps dialling hosts it cannot reach).
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' };
// A 1×1 PNG for the image message.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const ANSWER_TEXT = 'Hồ sơ đăng ký khai sinh gồm:\n- Tờ khai đăng ký khai sinh\n- Giấy chứng sinh\nXem thêm tại https://dichvucong.gov.vn/p/home/dvc-tthc.html.';
const PORTAL = 'https://dichvucong.gov.vn/';
const HOSTILE =
  'Tên thủ tục: <script>window.__pwned = 1</script> xem https://dichvucong.gov.vn/a?b=<i>1</i> <img src=x onerror="window.__pwned = 2"> & "ngoặc"';

/** No handover in the scripted conversations: the page's check after every answer finds nothing. */
const NO_UPDATES: WebUpdatesSource = {
  messagesAfter: async () => [],
  handover: async () => ({ status: null, staffName: null }),
};

const events: InboundEvent[] = [];
const failedOnce = new Set<string>();

async function converse(e: InboundEvent): Promise<ReplyMessage[]> {
  events.push(e);
  if (e.kind === 'choice' && e.choice === 'proc:1.001193') {
    return [{ text: 'Lệ phí: miễn phí.\nThời hạn: ngay trong ngày làm việc.', image: { url: '/test-assets/so-do.png', alt: 'Sơ đồ quy trình đăng ký khai sinh' } }];
  }
  if (e.kind === 'choice') return [{ text: `Đã chọn ${e.choice}` }];
  if (e.kind === 'command') return [{ text: `Lệnh ${e.command}` }];
  const text = e.text ?? '';
  if (text.includes('khai sinh')) {
    return [
      {
        text: ANSWER_TEXT,
        link: { url: PORTAL, label: 'Cổng Dịch vụ công quốc gia' },
        choices: [
          { id: 'proc:1.001193', label: 'Đăng ký khai sinh' },
          { id: 'proc:2.000986', label: 'Đăng ký khai sinh có yếu tố nước ngoài' },
        ],
      },
    ];
  }
  if (text.includes('bận')) {
    if (!failedOnce.has(e.updateKey)) {
      failedOnce.add(e.updateKey);
      throw new Error('scripted outage');
    }
    return [{ text: 'Đã trả lời sau khi thử lại.' }];
  }
  if (text.includes('chậm')) {
    await new Promise((r) => setTimeout(r, 2000));
    return [{ text: 'Trả lời chậm đây.' }];
  }
  if (text.includes('mã độc')) {
    return [
      {
        text: HOSTILE,
        link: { url: 'javascript:window.__pwned=3', label: 'Bấm vào đây' },
        image: { url: 'javascript:window.__pwned=4', alt: 'ảnh lạ' },
        choices: [{ id: 'x-1', label: '<b onclick="window.__pwned=5">đậm</b>' }],
      },
    ];
  }
  return [{ text: `Đã nhận: ${text}` }];
}

if (!HAVE_CHROMIUM && !REQUIRE_BROWSER) {
  console.warn(`web chat browser test skipped: ${SKIP_REASON}`);
  describe.skip(`web chat in Chromium — skipped: ${SKIP_REASON}`, () => {
    it('needs Debian chromium', () => {});
  });
} else if (!HAVE_CHROMIUM) {
  describe('web chat in Chromium', () => {
    it('needs Debian chromium, which CI_REQUIRE_BROWSER makes compulsory', () => {
      throw new Error(`CI_REQUIRE_BROWSER is set but ${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
    });
  });
} else {
  describe('web chat in Chromium on a phone', () => {
    let app: FastifyInstance;
    let base: string;
    let browser: Browser;
    let context: BrowserContext | null = null;
    let problems: string[] = [];

    beforeAll(async () => {
      app = Fastify({ logger: false });
      registerWebChat(app, { converse, logger: pino({ level: 'silent' }), updates: NO_UPDATES });
      app.get('/test-assets/so-do.png', async (_req, reply) => reply.type('image/png').send(PNG));
      await app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`;
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
    });

    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    afterEach(async () => {
      await context?.close();
      context = null;
    });

    async function openPage(): Promise<Page> {
      context = await browser.newContext(PHONE);
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      problems = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && !/favicon/.test(m.location().url)) problems.push(m.text());
      });
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      await page.goto(base);
      return page;
    }

    const input = (page: Page) => page.getByRole('textbox', { name: 'Câu hỏi của bạn' });
    const sendButton = (page: Page) => page.getByRole('button', { name: 'Gửi', exact: true });
    const botMessages = (page: Page) => page.locator('#log .msg.bot');
    const userMessages = (page: Page) => page.locator('#log .msg.user');
    const storedConversationId = (page: Page) => page.evaluate(() => localStorage.getItem('tthc-chat.conversationId'));

    async function ask(page: Page, text: string) {
      await input(page).fill(text);
      await sendButton(page).tap();
    }

    it('answers a question with line breaks, links and choices; a choice sends its id and shows its label; an image follows', async () => {
      const page = await openPage();
      await expect(page.title()).resolves.toBe('Trợ lý thủ tục hành chính');
      await expect(input(page).getAttribute('placeholder')).resolves.toBe('Nhập câu hỏi, ví dụ: làm giấy khai sinh cần gì');
      await page.getByText('Trợ lý tự động. Không gửi số căn cước, số điện thoại, số tài khoản.').waitFor();
      const before = events.length;

      await ask(page, 'làm giấy khai sinh cần gì');
      const answer = botMessages(page).filter({ hasText: 'Hồ sơ đăng ký khai sinh gồm' });
      await answer.waitFor();
      expect(await userMessages(page).last().innerText()).toContain('làm giấy khai sinh cần gì');
      expect(await input(page).inputValue()).toBe('');

      // Line breaks kept, URL in the text a link (without the full stop after it), the link a button-like anchor.
      const bubbleText = await answer.locator('.bubble').innerText();
      expect(bubbleText).toContain('gồm:\n- Tờ khai đăng ký khai sinh\n- Giấy chứng sinh\nXem thêm');
      const inline = answer.locator('.bubble a');
      expect(await inline.getAttribute('href')).toBe('https://dichvucong.gov.vn/p/home/dvc-tthc.html');
      expect(await inline.innerText()).toBe('https://dichvucong.gov.vn/p/home/dvc-tthc.html');
      const portal = answer.getByRole('link', { name: 'Cổng Dịch vụ công quốc gia' });
      expect(await portal.getAttribute('href')).toBe(PORTAL);
      expect(await portal.getAttribute('target')).toBe('_blank');
      expect(await portal.getAttribute('rel')).toContain('noopener');

      const sent = events.slice(before);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ channel: 'web', kind: 'text', text: 'làm giấy khai sinh cần gì' });
      expect(sent[0]!.chatId).toBe(await storedConversationId(page));
      expect(sent[0]!.updateKey).toMatch(/^[0-9a-f-]{36}$/);

      // Choices are real buttons, big enough to tap.
      const choice = answer.getByRole('button', { name: 'Đăng ký khai sinh', exact: true });
      await expect(answer.getByRole('button').count()).resolves.toBe(2);
      const box = await choice.boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(44);
      await choice.tap();
      await userMessages(page).filter({ hasText: 'Đăng ký khai sinh' }).waitFor();
      const next = botMessages(page).filter({ hasText: 'Lệ phí: miễn phí.' });
      await next.waitFor();
      const last = events.at(-1)!;
      expect(last).toMatchObject({ kind: 'choice', choice: 'proc:1.001193', chatId: sent[0]!.chatId });
      expect(last.updateKey).not.toBe(sent[0]!.updateKey);

      const img = next.getByRole('img', { name: 'Sơ đồ quy trình đăng ký khai sinh' });
      await img.waitFor();
      await expect.poll(() => img.evaluate((e) => (e as HTMLImageElement).complete && (e as HTMLImageElement).naturalWidth)).toBe(1);
      expect(problems).toEqual([]);
    });

    it('shows a typing indicator while waiting', async () => {
      const page = await openPage();
      const typing = page.locator('#typing');
      expect(await typing.isVisible()).toBe(false);
      await ask(page, 'câu hỏi trả lời chậm');
      await typing.waitFor({ state: 'visible' });
      expect(await sendButton(page).isDisabled()).toBe(true);
      await botMessages(page).filter({ hasText: 'Trả lời chậm đây.' }).waitFor();
      expect(await typing.isVisible()).toBe(false);
      expect(await sendButton(page).isDisabled()).toBe(false);
    });

    it('a reload continues the same conversation (same conversationId, transcript kept); "Trò chuyện mới" starts another', async () => {
      const page = await openPage();
      await ask(page, 'tin nhắn thứ nhất');
      await botMessages(page).filter({ hasText: 'Đã nhận: tin nhắn thứ nhất' }).waitFor();
      const first = events.at(-1)!;
      expect(first.chatId).toMatch(/^[0-9a-f-]{36}$/);

      await page.reload();
      await botMessages(page).filter({ hasText: 'Đã nhận: tin nhắn thứ nhất' }).waitFor();
      await ask(page, 'tin nhắn thứ hai');
      await botMessages(page).filter({ hasText: 'Đã nhận: tin nhắn thứ hai' }).waitFor();
      const second = events.at(-1)!;
      expect(second.chatId).toBe(first.chatId);
      expect(second.updateKey).not.toBe(first.updateKey);
      // the page's counter (the event's sequence) goes on across the reload
      expect([first.sequence, second.sequence]).toEqual([1, 2]);

      await page.getByRole('button', { name: 'Trò chuyện mới' }).tap();
      expect(await userMessages(page).count()).toBe(0);
      await ask(page, 'tin nhắn thứ ba');
      await botMessages(page).filter({ hasText: 'Đã nhận: tin nhắn thứ ba' }).waitFor();
      expect(events.at(-1)!.chatId).not.toBe(first.chatId);
      expect(await storedConversationId(page)).toBe(events.at(-1)!.chatId);
      expect(events.at(-1)!.sequence).toBe(1); // a new conversation counts from 1
    });

    it('a failed request shows the Vietnamese error; "Thử lại" resends the same messageId and the answer appears once', async () => {
      const page = await openPage();
      const error = page.getByRole('alert');

      // The server is busy (converse throws → 503).
      await ask(page, 'hệ thống đang bận à');
      await error.filter({ hasText: 'Hệ thống đang bận, vui lòng thử lại sau ít phút.' }).waitFor();
      const failedKey = events.at(-1)!.updateKey;
      await page.getByText('Chưa gửi được').waitFor();
      await page.getByRole('button', { name: 'Thử lại' }).tap();
      await botMessages(page).filter({ hasText: 'Đã trả lời sau khi thử lại.' }).waitFor();
      expect(await error.isVisible()).toBe(false);
      expect(await page.getByText('Chưa gửi được').count()).toBe(0);
      expect(await botMessages(page).filter({ hasText: 'Đã trả lời sau khi thử lại.' }).count()).toBe(1);
      const tries = events.filter((e) => e.text === 'hệ thống đang bận à');
      expect(tries.map((e) => e.updateKey)).toEqual([failedKey, failedKey]);
      expect(tries[1]!.sequence).toBe(tries[0]!.sequence); // and the same place in the conversation

      // The network is down (the request never reaches the server).
      await page.route('**/api/chat', (route) => route.abort('internetdisconnected'));
      const before = events.length;
      await ask(page, 'mất mạng rồi');
      await error.filter({ hasText: 'Không gửi được tin nhắn. Vui lòng kiểm tra kết nối mạng' }).waitFor();
      expect(events.length).toBe(before);
      await page.unroute('**/api/chat');
      await page.getByRole('button', { name: 'Thử lại' }).tap();
      await botMessages(page).filter({ hasText: 'Đã nhận: mất mạng rồi' }).waitFor();
      expect(events.length).toBe(before + 1);
      expect(await error.isVisible()).toBe(false);
    });

    it('shows record text with <script> as text and never runs it; javascript: links and images are not rendered', async () => {
      const page = await openPage();
      await ask(page, 'thử mã độc');
      const msg = botMessages(page).filter({ hasText: 'Tên thủ tục:' });
      await msg.waitFor();
      expect(await msg.locator('.bubble').innerText()).toContain(HOSTILE);
      expect(await page.locator('#log script, #log b, #log i, #log img').count()).toBe(0);
      // The only link is the http(s) URL in the text, cut before the "<".
      expect(await msg.getByRole('link').count()).toBe(1);
      expect(await msg.getByRole('link').getAttribute('href')).toBe('https://dichvucong.gov.vn/a?b=');
      expect(await msg.innerText()).toContain('Bấm vào đây');
      await msg.getByRole('button', { name: '<b onclick="window.__pwned=5">đậm</b>' }).tap();
      await botMessages(page).filter({ hasText: 'Đã chọn x-1' }).waitFor();
      await userMessages(page).filter({ hasText: '<b onclick="window.__pwned=5">đậm</b>' }).waitFor();
      // After a reload the saved transcript is drawn again, still as text.
      await page.reload();
      await botMessages(page).filter({ hasText: 'Tên thủ tục:' }).waitFor();
      expect(await page.locator('#log script, #log b, #log i, #log img').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(problems).toEqual([]);
    });

    it('fits a phone: 16px input, large touch targets, no sideways scrolling, Vietnamese labels, a strict CSP that lets the page run', async () => {
      const page = await openPage();
      const fontSize = await input(page).evaluate((e) => getComputedStyle(e).fontSize);
      expect(fontSize).toBe('16px');
      for (const target of [input(page), sendButton(page), page.getByRole('button', { name: 'Danh mục thủ tục' })]) {
        const box = await target.boundingBox();
        expect(box!.height).toBeGreaterThanOrEqual(44);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await page.locator('html').getAttribute('lang')).toBe('vi');
      expect(await page.locator('#log').getAttribute('aria-live')).toBe('polite');
      // The greeting's shortcut sends a command; its label is what the citizen sees.
      await page.getByRole('button', { name: 'Danh mục thủ tục' }).tap();
      await botMessages(page).filter({ hasText: 'Lệnh menu' }).waitFor();
      expect(events.at(-1)).toMatchObject({ kind: 'command', command: 'menu', text: '/menu' });
      expect(await userMessages(page).last().innerText()).toContain('Danh mục thủ tục');
      // Enter sends too.
      await input(page).fill('gõ xong bấm Enter');
      await input(page).press('Enter');
      await botMessages(page).filter({ hasText: 'Đã nhận: gõ xong bấm Enter' }).waitFor();
      expect(problems).toEqual([]);
    });
  });
  describe('web chat in Chromium: a staff member answers', () => {
    let t: TestDb;
    let app: FastifyInstance;
    let base: string;
    let browser: Browser;
    let context: BrowserContext;
    const chosen: string[] = [];

    // The handover itself is the handover service's: here a request for a person opens a ticket with SQL, and
    // the test writes what staff and the service would (claim, messages, close) while the page is open.
    async function handoverConverse(e: InboundEvent): Promise<ReplyMessage[]> {
      if (e.kind === 'choice') {
        chosen.push(e.choice ?? '');
        return [{ text: 'Cảm ơn bạn đã đánh giá.' }];
      }
      await openTicket(t.db, e.chatId);
      return [{ text: 'Tôi đã chuyển yêu cầu của bạn tới cán bộ Trung tâm Phục vụ hành chính công. Bạn đang ở vị trí số 1.' }];
    }

    beforeAll(async () => {
      t = await openTestDb();
      app = Fastify({ logger: false });
      registerWebChat(app, { converse: handoverConverse, logger: pino({ level: 'silent' }), updates: new WebUpdatesStore(t.db) });
      await app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`;
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
      context = await browser.newContext(PHONE);
      context.setDefaultTimeout(15_000);
    });

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await app?.close();
      await t?.cleanup();
    });

    async function open(problems: string[]): Promise<Page> {
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' && !/favicon/.test(m.location().url)) problems.push(m.text());
      });
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      await page.goto(base);
      return page;
    }
    const status = (page: Page) => page.getByRole('status').filter({ hasText: /cán bộ/i });
    const bubbles = (page: Page, text: string) => page.locator('#log .msg.bot').filter({ hasText: text });

    it('shows staff messages and "Cán bộ … đang trả lời" as they arrive, once after a reload, and what came while the tab was closed', async () => {
      const problems: string[] = [];
      let page = await open(problems);
      await page.getByRole('textbox', { name: 'Câu hỏi của bạn' }).fill('cho tôi gặp cán bộ');
      await page.getByRole('button', { name: 'Gửi', exact: true }).tap();
      await bubbles(page, 'Bạn đang ở vị trí số 1.').waitFor();
      // The page asked once after the answer: a ticket is open, so it shows the wait and keeps asking.
      await status(page).filter({ hasText: 'Đang chờ cán bộ…' }).waitFor();
      const chatId = (await page.evaluate(() => localStorage.getItem('tthc-chat.conversationId')))!;
      const ticket = (await t.db.query<{ id: string }>(`SELECT id FROM tickets WHERE chat_id = $1`, [chatId]))[0]!.id;

      // Lan claims the ticket (the notice is stored with the claim) and writes while the page is open.
      await t.db.transaction(async (tx) => {
        await claimTicket(tx, Number(ticket), await addStaff(tx, 'Lan'));
        await storeOutbound(tx, chatId, 'system', { text: 'Cán bộ Lan đã nhận yêu cầu của bạn.' });
      });
      await status(page).filter({ hasText: 'Cán bộ Lan đang trả lời' }).waitFor();
      expect(await page.getByText('Đang chờ cán bộ…').count()).toBe(0);
      await bubbles(page, 'Cán bộ Lan đã nhận yêu cầu của bạn.').waitFor();
      const hello = 'Chào anh/chị, tôi là Lan ở bộ phận một cửa. Anh/chị cần làm giấy khai sinh cho con phải không ạ?';
      // As the handover service writes it: the author's line first, for the channels without a label.
      await storeOutbound(t.db, chatId, 'staff', { text: `Cán bộ Lan:\n${hello}` });
      const fromLan = bubbles(page, hello);
      await fromLan.waitFor();
      // A staff message is told apart from the assistant's: its own look and the staff member's name above it
      // (taken from the author's line, which is not repeated in the bubble).
      expect(await fromLan.locator('.sender').innerText()).toBe('Cán bộ Lan');
      expect(await fromLan.locator('.bubble').innerText()).toBe(hello);
      expect(await fromLan.getAttribute('class')).toContain('staff');
      expect(await bubbles(page, 'Bạn đang ở vị trí số 1.').locator('.sender').count()).toBe(0);
      mkdirSync(new URL('../../../docs/screenshots/', import.meta.url), { recursive: true });
      await page.screenshot({ path: new URL('../../../docs/screenshots/web-chat-staff.png', import.meta.url).pathname });

      // A reload draws the transcript again and asks after its cursor: each message once, the state back.
      await page.reload();
      await status(page).filter({ hasText: 'Cán bộ Lan đang trả lời' }).waitFor();
      await fromLan.waitFor();
      expect(await bubbles(page, hello).count()).toBe(1);
      expect(await bubbles(page, 'Cán bộ Lan đã nhận yêu cầu của bạn.').count()).toBe(1);
      expect(await bubbles(page, hello).locator('.sender').innerText()).toBe('Cán bộ Lan');

      // The tab is closed; Lan writes again; the citizen opens the chat later in a new tab.
      await page.close();
      const meanwhile = 'Anh/chị mang theo giấy chứng sinh và căn cước của bố mẹ nhé.';
      await storeOutbound(t.db, chatId, 'staff', { text: meanwhile });
      page = await open(problems);
      await bubbles(page, meanwhile).waitFor();
      await status(page).filter({ hasText: 'Cán bộ Lan đang trả lời' }).waitFor();
      expect(await bubbles(page, meanwhile).count()).toBe(1);
      // No author's line in this one: the label is the ticket owner's name.
      expect(await bubbles(page, meanwhile).locator('.sender').innerText()).toBe('Cán bộ Lan');
      // the conversation so far is kept with it (a closed tab loses nothing), and each message is shown once
      expect(await bubbles(page, hello).count()).toBe(1);

      // Lan closes the ticket: the rating question arrives with the close; its levels are buttons like the bot's.
      await t.db.transaction(async (tx) => {
        await closeTicket(tx, Number(ticket));
        await storeOutbound(tx, chatId, 'system', {
          text: 'Bạn có hài lòng với sự hỗ trợ vừa rồi không?',
          choices: [
            { id: 'rate:5', label: 'Rất hài lòng' },
            { id: 'rate:4', label: 'Hài lòng' },
            { id: 'rate:3', label: 'Bình thường' },
            { id: 'rate:2', label: 'Không hài lòng' },
            { id: 'rate:1', label: 'Rất không hài lòng' },
          ],
        });
      });
      const question = bubbles(page, 'Bạn có hài lòng với sự hỗ trợ vừa rồi không?');
      await question.waitFor();
      await page.locator('#handover').waitFor({ state: 'hidden' });
      await question.getByRole('button', { name: 'Rất hài lòng', exact: true }).tap();
      await bubbles(page, 'Cảm ơn bạn đã đánh giá.').waitFor();
      expect(chosen).toEqual(['rate:5']);

      // Everything shown was marked delivered for the engine.
      const rows = await t.db.query<{ status: string }>(`SELECT status FROM outbound_messages WHERE chat_id = $1 AND inbound_id IS NULL`, [chatId]);
      expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
      expect(problems).toEqual([]);
    });
  });
}
