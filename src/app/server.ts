import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Assistant } from '../assistant/assistant.ts';
import { createTelegramChannel } from '../channels/telegram/index.ts';
import { createTelegramStaffDesk, type TelegramStaffDesk } from '../staff/telegram/index.ts';
import { DeskCursorStore } from '../storage/desk-cursor-store.ts';
import type { Update } from 'grammy/types';
import type { ChannelName, ChannelSender } from '../channels/types.ts';
import { registerWebChat } from '../channels/web/routes.ts';
import { createZaloChannel } from '../channels/zalo/index.ts';
import { Commands } from '../conversation/commands.ts';
import { ConversationEngine } from '../conversation/engine.ts';
import { Inbox } from '../conversation/inbox.ts';
import { loadCommuneProfile } from '../knowledge/commune-profile.ts';
import { loadVocabulary } from '../knowledge/vocabulary.ts';
import type { IndexProgress } from '../retrieval/indexer.ts';
import { buildServer } from '../server/app.ts';
import { AnsweringFlow } from '../conversation/flows/answering.ts';
import { RatingFlow } from '../conversation/flows/rating.ts';
import { Flows } from '../conversation/flows/registry.ts';
import { WaitingStaffFlow } from '../conversation/flows/waiting-staff.ts';
import { WithStaffFlow } from '../conversation/flows/with-staff.ts';
import { HandoverService } from '../services/handover/service.ts';
import { isWithStaff } from '../storage/ticket-store.ts';
import { RatingStore } from '../storage/rating-store.ts';
import { ConversationStore } from '../storage/conversation-store.ts';
import type { Db } from '../storage/db.ts';
import { openDatabase } from '../storage/open.ts';
import { ProcedureStore } from '../storage/procedure-store.ts';
import { WebUpdatesStore } from '../storage/web-updates.ts';
import { AuditLog } from '../storage/audit-log.ts';
import { UserStore } from '../storage/user-store.ts';
import { registerReports } from '../reports/routes.ts';
import { requireRole } from '../server/auth/guard.ts';
import { registerAuth, staffRateLimit } from '../server/auth/plugin.ts';
import { registerDocs } from '../server/docs.ts';
import { registerConsole } from '../staff/console/routes.ts';
import { GuideFlow } from '../conversation/flows/guide.ts';
import { PaymentService } from '../services/payment/service.ts';
import { registerMedia } from '../server/media.ts';
import { ProcedureOverrideStore } from '../storage/procedure-override-store.ts';
import { registerDossierRoutes } from '../staff/console/dossier-routes.ts';
import { DossierService } from '../services/dossiers/service.ts';
import { createAdmin, excludingSearch, registerSecurityHeaders } from '../admin/index.ts';
import { createLocalKnowledge } from '../admin/vocabulary/index.ts';
import { createLanguageData } from '../admin/language/index.ts';
import { registerLanguagePage } from '../admin/language/page-routes.ts';
import { createKnowledgeAdmin, registerKnowledgeAdmin } from '../admin/knowledge/index.ts';
import { registerAnnouncementRoutes } from '../admin/announcements-routes.ts';
import { createAnnouncements } from '../services/announcements/index.ts';
import { createAssistant } from './assistant.ts';
import { type KnowledgeBase, openKnowledgeBase } from './knowledge-base.ts';

interface Channel {
  name: ChannelName;
  sender: ChannelSender;
  /** The sender announcements use when it differs (Telegram: without the replies' auto-retry). */
  broadcastSender?: ChannelSender;
  registerRoutes(app: FastifyInstance): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface RunningApp {
  app: FastifyInstance;
  db: Db;
  engine: ConversationEngine;
  handover: HandoverService;
  dossiers: DossierService;
  /** Where the web chat is, e.g. http://127.0.0.1:3000/ */
  url: string;
  /** Resolves when the knowledge base is ready and the assistant answers. */
  ready: Promise<KnowledgeBase>;
  close(): Promise<void>;
}

/**
 * The whole product in one process: storage, the server (health, web chat, webhooks) listening at once, the
 * knowledge base prepared behind it (updates that arrive meanwhile are stored and answered when it is ready), the
 * conversation engine, and each channel whose token is set.
 */
export async function startApp(config: Config, opts: { logger: Logger; onProgress?: (p: IndexProgress) => void; /** The clock for working hours (tests). */ now?: () => Date }): Promise<RunningApp> {
  const { logger } = opts;
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  // the commune profile in force (the console's, else the file's) and the admins' per-procedure overrides
  const admin = await createAdmin({ db, config, fileProfile: loadCommuneProfile(config.knowledgeDir) });
  // services read the profile at each use (a getter on their deps), so an admin's change applies at once
  const profile = () => admin.profile.current();
  const vocabulary = loadVocabulary(config.knowledgeDir);

  let knowledgeReady = false;
  // The knowledge base is opened (on a first start: indexed, a minute or two) only once the server listens: the
  // embedded database serves one query at a time, and setting up the routes must not wait behind the indexing.
  let openKnowledge = (): void => {};
  const kbReady = new Promise<KnowledgeBase>((resolve, reject) => {
    openKnowledge = () => void openKnowledgeBase(config, { db, onProgress: opts.onProgress }).then(resolve, reject);
  });
  // the admins' vocabulary mappings and staff-written local answers (the try box searches as the assistant does)
  // knowledge versions: imports previewed, applied and rolled back; the assistant searches the version that serves
  const knowledge = kbReady.then((kb) => createKnowledgeAdmin(kb, { logger }));
  knowledge.catch(() => {}); // a failed knowledge base is logged below
  const local = await createLocalKnowledge({ db, search: knowledge.then((k) => excludingSearch(k.search, admin.localOverrides)), language: () => language.live.current() });
  // the life events and router phrase lists in force: the shipped files with the admins' revisions over them
  const language = await createLanguageData({ db, vocabulary, logger, read: (text, tables) => local.admin.read(text, tables) });
  const assistant: Promise<Assistant> = knowledge.then((k) =>
    kbReady.then((kb) => {
      knowledgeReady = true;
      return createAssistant(config, kb, logger, { search: k.search, localOverrides: admin.localOverrides, profile, localVocabulary: local.vocabulary, localAnswers: local.answers, language: language.live, now: opts.now });
    }),
  );
  assistant.catch((err) => logger.fatal({ err }, 'knowledge base failed to load'));

  const senders: Partial<Record<ChannelName, ChannelSender>> = {};
  const broadcastSenders: Partial<Record<ChannelName, ChannelSender>> = {};
  const conversations = new ConversationStore(db);
  // the engine is built after the handover service, which tells it when a conversation's outbox has a new message
  let engine: ConversationEngine | null = null;
  const handover = new HandoverService({ db, get profile() { return profile(); }, retentionDays: config.staff.callbackRetentionDays, logger, now: opts.now, audit: new AuditLog(db), notify: (id) => void engine?.deliverPending(id) });
  const dossiers = new DossierService({ db, get profile() { return profile(); }, logger, now: opts.now, notify: (id) => void engine?.deliverPending(id) });
  const payments = new PaymentService({ db, get profile() { return profile(); }, config, logger, now: opts.now, audit: new AuditLog(db), notify: (id) => void engine?.deliverPending(id) });
  const procedures = new ProcedureStore(db);
  const answering = new AnsweringFlow(assistant, conversations, handover);
  // the guide answers what is asked meanwhile through the answering flow, which in turn starts the guide
  const guide = new GuideFlow({ procedures, overrides: new ProcedureOverrideStore(db), get profile() { return profile(); }, db, answering, dossiers, payments, now: opts.now });
  answering.attachGuide(guide);
  answering.attachDossiers({ register: (i) => dossiers.register(i), mine: (id) => dossiers.mine(id), mineMessage: (id, l) => dossiers.mineMessage(id, l), procedure: (c) => procedures.get(c) });
  // announcements to citizens who opted in, sent through the channels' senders on a pg-boss queue
  const announcements = createAnnouncements({ db, senders: broadcastSenders, logger, databaseUrl: config.databaseUrl });
  const flows = new Flows(
    [
      answering,
      guide,
      new WaitingStaffFlow(handover),
      new WithStaffFlow(handover),
      new RatingFlow(new RatingStore(db), (r) => handover.flagLowRating(r), (turn) => announcements.optIn.offerForTurn(turn)),
    ],
    conversations,
  );
  engine = new ConversationEngine({
    inbox: new Inbox(db),
    assistant,
    flows,
    commands: new Commands({ get profile() { return profile(); }, vocabulary: { ...vocabulary, get lifeEvents() { return language.live.current().lifeEvents; } }, procedures, subscriptions: announcements.optIn, isExcluded: (c) => admin.localOverrides.isExcluded(c) }),
    conversations,
    senders,
    logger,
    ownedByStaff: (id) => isWithStaff(db, id),
  });

  const app = buildServer({ db, logger, isReady: () => knowledgeReady, trustProxy: config.server.trustProxy });
  await registerSecurityHeaders(app, { publicUrl: config.server.publicUrl });
  // the API description sees the routes registered after it; sign-in comes before every staff and admin route
  await registerDocs(app, { publicUrl: config.server.publicUrl });
  await registerAuth(app, { db, config, logger });
  registerWebChat(app, { converse: (e) => engine.converse(e), logger, updates: new WebUpdatesStore(db) });
  registerConsole(app, { desk: handover, users: new UserStore(db), guard: requireRole, logger });
  registerDossierRoutes(app, { dossiers, guard: requireRole, logger, payments });
  registerMedia(app, { db });
  registerReports(app, { db, guard: requireRole('staff', 'admin'), routeConfig: staffRateLimit });
  admin.registerRoutes(app, requireRole);
  local.registerRoutes(app, requireRole);
  language.registerRoutes(app, requireRole);
  registerLanguagePage(app);
  registerKnowledgeAdmin(app, { versions: knowledge.then((k) => k.versions), guard: requireRole });
  registerAnnouncementRoutes(app, { service: announcements.service, guard: requireRole });
  const channels: Channel[] = [];
  const publicUrl = config.server.publicUrl;
  // The staff group is reached through the same bot: the channel hands its updates to the staff desk, which is
  // built on the channel's API right after (before any update can arrive).
  let staffDesk: TelegramStaffDesk | null = null;
  const staffChatId = config.staff.telegramChatId;
  if (config.telegram) {
    const staff = staffChatId ? { chatId: staffChatId, handleUpdate: (u: Update) => staffDesk?.handleUpdate(u) ?? Promise.resolve() } : undefined;
    const telegram = createTelegramChannel(config.telegram, { sink: engine, logger, publicUrl, staff });
    channels.push({ name: 'telegram', ...telegram });
    if (staffChatId) {
      staffDesk = createTelegramStaffDesk({
        api: telegram.api,
        quickApi: telegram.quickApi,
        chatId: staffChatId,
        desk: handover,
        users: new UserStore(db),
        cursors: new DeskCursorStore(db),
        procedures,
        logger,
      });
    }
  } else logger.info('Telegram: tắt (chưa đặt TELEGRAM_BOT_TOKEN)');
  if (staffChatId && !config.telegram) logger.warn('TELEGRAM_STAFF_CHAT_ID is set but TELEGRAM_BOT_TOKEN is not: no staff desk on Telegram');
  if (config.zalo) channels.push({ name: 'zalo', ...createZaloChannel(config.zalo, { sink: engine, logger, publicUrl }) });
  else logger.info('Zalo: tắt (chưa đặt ZALO_BOT_TOKEN)');
  for (const ch of channels) {
    senders[ch.name] = ch.sender;
    broadcastSenders[ch.name] = ch.broadcastSender ?? ch.sender;
    ch.registerRoutes(app);
  }

  try {
    await app.listen({ port: config.server.port, host: config.server.host });
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
  openKnowledge();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const url = `http://${config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host}:${port}/`;

  for (const ch of channels) {
    try {
      await ch.start();
      logger.info({ channel: ch.name }, 'channel on');
    } catch (err) {
      logger.error({ err: String(err), channel: ch.name }, 'channel failed to start; it will not receive updates');
    }
  }
  engine.startRecovery();
  // after the channels: unfinished sends resume
  await announcements.start();
  // after the channel started: the desk posts the handover events to the staff group from its stored cursor
  if (staffDesk) {
    staffDesk.start();
    logger.info('Telegram staff desk on');
  }
  // callback numbers are erased once their retention after closing ends: checked at start, then hourly
  const eraseTimer = setInterval(() => void handover.eraseExpiredPhones().catch((err) => logger.warn({ err: String(err) }, 'erasing callback numbers failed')), 3600_000);
  eraseTimer.unref();
  void handover.eraseExpiredPhones().catch(() => {});
  // VietQR images are kept 30 days
  const mediaTimer = setInterval(() => void payments.purgeExpiredMedia().catch((err) => logger.warn({ err: String(err) }, 'purging media failed')), 3600_000);
  mediaTimer.unref();
  void payments.purgeExpiredMedia().catch(() => {});

  return {
    app,
    db,
    engine,
    handover,
    dossiers,
    url,
    ready: kbReady,
    async close() {
      clearInterval(eraseTimer);
      clearInterval(mediaTimer);
      await announcements.stop().catch(() => {});
      await staffDesk?.stop().catch(() => {});
      for (const ch of channels) await ch.stop().catch(() => {});
      await app.close();
      await engine.stop();
      await kbReady.catch(() => {});
      await db.close();
    },
  };
}
