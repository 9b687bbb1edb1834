import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { guardedUser } from '../../server/auth/guard.ts';
import { staffRateLimit } from '../../server/auth/plugin.ts';
import { sendError, sendFieldErrors } from '../../server/errors.ts';
import type { LanguageRevision } from '../../storage/language-store.ts';
import type { FileSummary, LanguageAdmin, LanguageChange } from './service.ts';
import { LANGUAGE_MESSAGES as M, NameParamsSchema, parseSave, parseTry, RevisionParamsSchema } from './validation.ts';

/**
 * The language data files in the console (admin only, CSRF on changes, rate-limited, the one error shape; an
 * invalid body also carries `fields` by dotted path):
 *   GET  /api/admin/language                              the files: name, title, description, edited, revision
 *   GET  /api/admin/language/:name                        the file as the bot reads it now (data), and its revision
 *   PUT  /api/admin/language/:name                        {data, expected_revision}: a new revision, read at once
 *                                                         (409 when someone saved since expected_revision)
 *   POST /api/admin/language/try                          {text, draft?: {name, data}}: how the bot would read it
 *   GET  /api/admin/language/:name/revisions              the file's revisions, newest first
 *   POST /api/admin/language/:name/revisions/:id/restore  that revision's content again, as a new revision
 *   POST /api/admin/language/:name/reset                  back to the shipped file
 */

type Guard = NonNullable<RouteShorthandOptions['preHandler']>;

const OBJECT = { type: 'object', additionalProperties: true } as const;
const ERROR_DOC = { type: 'object', properties: { ok: { type: 'boolean', enum: [false] }, code: { type: 'string' }, error: { type: 'string' }, fields: OBJECT } } as const;
const NAME_PARAM = { type: 'object', required: ['name'], properties: { name: { type: 'string', enum: ['life-events', 'router-rules'] } } } as const;
const REVISION_PARAMS = { type: 'object', required: ['name', 'id'], properties: { name: NAME_PARAM.properties.name, id: { type: 'string' } } } as const;
const read = { tags: ['admin'], security: [{ session: [] }] };
const write = { tags: ['admin'], security: [{ session: [], csrf: [] }] };
const DOCS = {
  files: { ...read, summary: 'Các tệp dữ liệu ngôn ngữ sửa được (sự kiện cuộc sống, cụm từ của bộ định tuyến)', response: { 200: OBJECT } },
  file: { ...read, summary: 'Một tệp dữ liệu ngôn ngữ như bot đang đọc', params: NAME_PARAM, response: { 200: OBJECT, 400: ERROR_DOC } },
  save: {
    ...write,
    summary: 'Lưu một tệp dữ liệu ngôn ngữ (áp dụng ngay, giữ lịch sử)',
    params: NAME_PARAM,
    body: { type: 'object', required: ['data', 'expected_revision'], properties: { data: OBJECT, expected_revision: { type: ['integer', 'null'] } } },
    response: { 200: OBJECT, 400: ERROR_DOC, 409: ERROR_DOC },
  },
  try: {
    ...write,
    summary: 'Bot sẽ hiểu câu này thế nào, với bản đang dùng hoặc bản nháp (không lưu gì)',
    body: { type: 'object', required: ['text'], properties: { text: { type: 'string' }, draft: { type: 'object', properties: { name: { type: 'string' }, data: OBJECT } } } },
    response: { 200: OBJECT, 400: ERROR_DOC, 503: ERROR_DOC },
  },
  revisions: { ...read, summary: 'Lịch sử sửa một tệp dữ liệu ngôn ngữ', params: NAME_PARAM, response: { 200: OBJECT, 400: ERROR_DOC } },
  restore: { ...write, summary: 'Dùng lại một phiên bản cũ của tệp', params: REVISION_PARAMS, response: { 200: OBJECT, 400: ERROR_DOC, 404: ERROR_DOC } },
  reset: { ...write, summary: 'Về bản gốc của sản phẩm', params: NAME_PARAM, response: { 200: OBJECT, 400: ERROR_DOC } },
} as const;

export function revisionJson(r: LanguageRevision) {
  return { id: r.id, name: r.name, created_by: r.createdBy, created_at: r.createdAt, action: r.action, restored_from: r.restoredFrom, shipped: r.data === null };
}

function summaryJson(f: FileSummary) {
  return { name: f.name, title: f.title, description: f.description, edited: f.edited, revision: f.revision && revisionJson(f.revision) };
}



function answer(reply: FastifyReply, change: LanguageChange): FastifyReply {
  if (change.ok) return reply.send({ ok: true, revision: revisionJson(change.revision) });
  switch (change.reason) {
    case 'invalid':
      return sendFieldErrors(reply, change.message, change.fields);
    case 'conflict':
      return sendError(reply, 'conflict', change.message);
    case 'not_found':
      return sendError(reply, 'not_found', change.message);
    default:
      return sendError(reply, 'bad_request', change.message);
  }
}

export function registerLanguageRoutes(app: FastifyInstance, deps: { admin: LanguageAdmin; guard: Guard }): void {
  const { admin } = deps;
  const route = (schema: object) => ({ config: staffRateLimit, preHandler: deps.guard, schema });
  const nameOf = (request: FastifyRequest, reply: FastifyReply) => {
    const p = NameParamsSchema.safeParse(request.params);
    if (!p.success) void sendError(reply, 'bad_request', M.badName);
    return p.success ? p.data.name : null;
  };

  app.get('/api/admin/language', route(DOCS.files), async (_request, reply) => reply.send({ ok: true, files: (await admin.files()).map(summaryJson) }));

  app.get('/api/admin/language/:name', route(DOCS.file), async (request, reply) => {
    const name = nameOf(request, reply);
    if (!name) return reply;
    const f = await admin.file(name);
    return reply.send({ ok: true, ...summaryJson(f), data: f.data });
  });

  app.put('/api/admin/language/:name', route(DOCS.save), async (request, reply) => {
    const name = nameOf(request, reply);
    if (!name) return reply;
    const b = parseSave(name, request.body);
    if (!b.ok) return sendFieldErrors(reply, b.error, b.fields);
    return answer(reply, await admin.save(name, b.value.data, b.value.expectedRevision, guardedUser(request)));
  });

  app.post('/api/admin/language/try', route(DOCS.try), async (request, reply) => {
    const b = parseTry(request.body);
    if (!b.ok) return sendFieldErrors(reply, b.error, b.fields);
    const reading = await admin.read(b.value.text, b.value.draft);
    if (!reading) return sendError(reply, 'unavailable', M.notReady);
    return reply.send({ ok: true, reading });
  });

  app.get('/api/admin/language/:name/revisions', route(DOCS.revisions), async (request, reply) => {
    const name = nameOf(request, reply);
    if (!name) return reply;
    return reply.send({ ok: true, revisions: (await admin.history(name)).map(revisionJson) });
  });

  app.post('/api/admin/language/:name/revisions/:id/restore', route(DOCS.restore), async (request, reply) => {
    const p = RevisionParamsSchema.safeParse(request.params);
    if (!p.success) return sendError(reply, 'bad_request', NameParamsSchema.safeParse(request.params).success ? M.badId : M.badName);
    return answer(reply, await admin.restore(p.data.name, p.data.id, guardedUser(request)));
  });

  app.post('/api/admin/language/:name/reset', route(DOCS.reset), async (request, reply) => {
    const name = nameOf(request, reply);
    if (!name) return reply;
    return answer(reply, await admin.reset(name, guardedUser(request)));
  });
}
