import type { Readable } from 'node:stream';
import { guardedUser } from '../../server/auth/guard.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { z } from 'zod';
import type { Role } from '../../domain/staff.ts';
import { staffRateLimit } from '../../server/auth/plugin.ts';
import { ERRORS, errorBody, sendError } from '../../server/errors.ts';
import type { KnowledgeVersion, VersionOrigin } from '../../storage/knowledge-version-store.ts';
import { type Actor, type KnowledgeVersions, VERSION_MESSAGES } from '../../services/knowledge-versions/service.ts';
import { MAX_UPLOAD_BYTES, UPLOAD_MESSAGES, UploadError } from '../../services/knowledge-versions/upload.ts';
import { documentOnlyScope } from '../../staff/console/routes.ts';
import { registerKnowledgePage } from './page-routes.ts';

/**
 * Knowledge updates, admin only (CSRF on changes, rate-limited, the one error shape with Vietnamese messages):
 *   POST /api/admin/knowledge/imports?mode=replace|merge     body application/x-ndjson (national listing, portal API
 *        or defence ministry records, one a line) or text/csv (the commune's own list, origin 'local': columns in
 *        src/services/knowledge-versions/local-csv.ts); at most 64 MB, read as it arrives → 201 {id, added, removed,
 *        changed, unchanged, errors: [{line, reason}]}; nothing is applied
 *   GET  /api/admin/knowledge/imports/:id                   the preview: added, removed, changed with before/after
 *   POST /api/admin/knowledge/imports/:id/apply             202; re-indexes in the background (status, progress)
 *   GET  /api/admin/knowledge/imports/:id/status            {status, progress: {phase, done, total}, failure, versionId}
 *        without the diff: what the page polls while an import applies
 *   GET  /api/admin/knowledge/versions                      every version: id, created_by, created_at, counts, active,
 *        import_id, change ({kind: first} or {kind: import, import_id, format, mode, base_version, added, removed,
 *        changed}) and restored ({at, by, from_version} when it was last made to serve again, else null)
 *   POST /api/admin/knowledge/versions/:id/activate         that version serves again (rollback), atomically
 * and the page that drives them, GET /console/knowledge (page-routes.ts).
 */
export interface KnowledgeRouteDeps {
  /** Ready once the knowledge base is open (it needs its embedder); the routes wait for it. */
  versions: KnowledgeVersions | Promise<KnowledgeVersions>;
  /** The auth plugin's `requireRole`. */
  guard: (...roles: Role[]) => NonNullable<RouteShorthandOptions['preHandler']>;
  maxBytes?: number;
}

export const KNOWLEDGE_MESSAGES = {
  badMode: 'Chế độ không hợp lệ: chỉ nhận mode=replace (thay cả danh sách của nguồn) hoặc mode=merge (chỉ thêm và sửa).',
  badId: 'Mã không hợp lệ.',
} as const;

const ModeQuery = z.object({ mode: z.enum(['replace', 'merge']).default('replace') });
const IdParams = z.object({ id: z.string().regex(/^[1-9]\d{0,14}$/).transform(Number) });
/** What a body of any other type is parsed to: the route answers 415 without reading it. */
const UNSUPPORTED = Symbol('unsupported body');

function actorOf(request: FastifyRequest): Actor {
  const user = guardedUser(request);
  return { id: user.id, username: user.username };
}

/**
 * A version for the history: `change` says what made it ({kind: 'first'}, or {kind: 'import'} with the upload and the
 * counts against its base version) and `restored` when an admin last made it serve again (rollback).
 */
function versionJson(v: KnowledgeVersion & Partial<VersionOrigin>) {
  const imp = v.import;
  const change = imp
    ? { kind: 'import' as const, import_id: imp.id, format: imp.format, origin: imp.origin, mode: imp.mode, base_version: imp.baseVersion, uploaded_by: imp.createdBy, added: v.counts.added, removed: v.counts.removed, changed: v.counts.changed }
    : { kind: v.importId === null ? ('first' as const) : ('import' as const), import_id: v.importId };
  const restored = v.restored ? { at: v.restored.at, by: v.restored.by, from_version: v.restored.fromVersion } : null;
  return { id: v.id, created_by: v.createdBy, created_at: v.createdAt, counts: v.counts, active: v.active, import_id: v.importId, change, restored };
}

function isStream(body: unknown): body is Readable {
  return body !== null && typeof body === 'object' && typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

const OBJECT = { type: 'object', additionalProperties: true } as const;
const read = { tags: ['admin'], security: [{ session: [] }] };
const write = { tags: ['admin'], security: [{ session: [], csrf: [] }] };
const ID_PARAM = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } as const;
const DOCS = {
  importFile: {
    ...write,
    summary: 'Tải lên danh mục thủ tục (JSON Lines) và xem trước thay đổi; chưa áp dụng',
    querystring: { type: 'object', properties: { mode: { type: 'string', enum: ['replace', 'merge'], description: 'replace (mặc định): tệp là cả danh sách của nguồn; merge: chỉ thêm và sửa' } } },
    response: { 201: OBJECT },
  },
  preview: { ...read, summary: 'Xem trước một lần tải lên: thủ tục thêm, bỏ, sửa (trước/sau)', params: ID_PARAM, response: { 200: OBJECT } },
  apply: { ...write, summary: 'Áp dụng một lần tải lên (chạy nền, tiến độ trong trạng thái)', params: ID_PARAM, response: { 202: OBJECT } },
  status: { ...read, summary: 'Trạng thái và tiến độ áp dụng một lần tải lên (không kèm danh sách thay đổi)', params: ID_PARAM, response: { 200: OBJECT } },
  versions: { ...read, summary: 'Các phiên bản cơ sở tri thức', response: { 200: OBJECT } },
  activate: { ...write, summary: 'Dùng lại một phiên bản (quay lui)', params: ID_PARAM, response: { 200: OBJECT } },
};

export function registerKnowledgeAdmin(app: FastifyInstance, deps: KnowledgeRouteDeps): void {
  const guard = deps.guard('admin');
  const maxBytes = deps.maxBytes ?? MAX_UPLOAD_BYTES;
  const admin = (schema: object) => ({ config: staffRateLimit, preHandler: guard, schema });
  registerKnowledgePage(app, { maxBytes });
  const idOf = (request: FastifyRequest, reply: FastifyReply): number | null => {
    const p = IdParams.safeParse(request.params);
    if (p.success) return p.data.id;
    sendError(reply, 'bad_request', KNOWLEDGE_MESSAGES.badId);
    return null;
  };

  // The upload in a scope of its own: only there is the body a stream of JSON lines, up to 64 MB.
  void app.register(async (upload) => {
    documentOnlyScope(upload);
    upload.removeAllContentTypeParsers();
    upload.addContentTypeParser('application/x-ndjson', { bodyLimit: maxBytes }, (_request, payload, done) => done(null, payload));
    upload.addContentTypeParser('text/csv', { bodyLimit: maxBytes }, (_request, payload, done) => done(null, payload));
    upload.addContentTypeParser('*', (_request, _payload, done) => done(null, UNSUPPORTED));
    upload.post('/api/admin/knowledge/imports', { ...admin(DOCS.importFile), bodyLimit: maxBytes }, async (request, reply) => {
      const q = ModeQuery.safeParse(request.query ?? {});
      if (!q.success) return sendError(reply, 'bad_request', KNOWLEDGE_MESSAGES.badMode);
      const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
      if (encoding !== 'identity') return sendError(reply, 'unsupported_media_type', UPLOAD_MESSAGES.compressed);
      if (request.body === UNSUPPORTED) return sendError(reply, 'unsupported_media_type', UPLOAD_MESSAGES.mediaType);
      if (Number(request.headers['content-length'] ?? 0) > maxBytes) return sendError(reply, 'payload_too_large', UPLOAD_MESSAGES.tooLarge);
      if (!isStream(request.body)) return sendError(reply, 'bad_request', UPLOAD_MESSAGES.empty);
      try {
        const versions = await deps.versions;
        const csv = String(request.headers['content-type'] ?? '').toLowerCase().startsWith('text/csv');
        const answer = await versions.importUpload(request.body, { mode: q.data.mode, actor: actorOf(request), maxBytes, csv });
        return reply.code(201).send({ ok: true, ...answer });
      } catch (err) {
        if (!(err instanceof UploadError)) throw err;
        // what is left of a refused body is not read: close the connection after answering
        reply.header('connection', 'close');
        return reply.code(ERRORS[err.code].status).send({ ...errorBody(err.code, err.message), ...(err.errors ? { errors: err.errors } : {}) });
      }
    });
  });

  void app.register(async (api) => {
    documentOnlyScope(api);
    api.get('/api/admin/knowledge/imports/:id', admin(DOCS.preview), async (request, reply) => {
      const id = idOf(request, reply);
      if (id === null) return reply;
      const preview = await (await deps.versions).preview(id);
      if (!preview) return sendError(reply, 'not_found', VERSION_MESSAGES.importNotFound);
      return reply.send({ ok: true, ...preview });
    });

    api.get('/api/admin/knowledge/imports/:id/status', admin(DOCS.status), async (request, reply) => {
      const id = idOf(request, reply);
      if (id === null) return reply;
      const status = await (await deps.versions).status(id);
      if (!status) return sendError(reply, 'not_found', VERSION_MESSAGES.importNotFound);
      return reply.send({ ok: true, ...status });
    });

    api.post('/api/admin/knowledge/imports/:id/apply', admin(DOCS.apply), async (request, reply) => {
      const id = idOf(request, reply);
      if (id === null) return reply;
      const result = await (await deps.versions).apply(id, actorOf(request));
      if ('error' in result) return sendError(reply, result.error, result.message);
      return reply.code(202).send({ ok: true, ...result });
    });

    api.get('/api/admin/knowledge/versions', admin(DOCS.versions), async (_request, reply) => {
      const list = await (await deps.versions).versions();
      return reply.send({ ok: true, versions: list.map((v) => versionJson(v)) });
    });

    api.post('/api/admin/knowledge/versions/:id/activate', admin(DOCS.activate), async (request, reply) => {
      const id = idOf(request, reply);
      if (id === null) return reply;
      const result = await (await deps.versions).activate(id, actorOf(request));
      if ('error' in result) return sendError(reply, result.error, result.message);
      return reply.send({ ok: true, version: versionJson(result.version) });
    });
  });
}
