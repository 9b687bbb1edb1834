import type { FastifyInstance, FastifyReply, RouteShorthandOptions } from 'fastify';
import { guardedUser } from '../../server/auth/guard.ts';
import { staffRateLimit } from '../../server/auth/plugin.ts';
import { sendError, sendFieldErrors } from '../../server/errors.ts';
import type { Change, LocalKnowledgeAdmin } from './service.ts';
import { IdParamsSchema, LOCAL_KNOWLEDGE_MESSAGES as M, parseAnswer, parseMapping, parseTry } from './validation.ts';

/**
 * The admins' additions from the knowledge-gaps report (admin only, CSRF on changes, rate-limited, the one error
 * shape; an invalid body also carries `fields`):
 *   GET    /api/admin/vocabulary            the mappings in force
 *   POST   /api/admin/vocabulary            {phrase, code}: the citizens' words for a procedure, read at once (201)
 *   DELETE /api/admin/vocabulary/:id        removes one (kept on record, audited)
 *   POST   /api/admin/vocabulary/try        {text}: how the bot would read the message, nothing stored
 *   GET    /api/admin/local-answers         the local answers in force
 *   POST   /api/admin/local-answers         {topic, examples[], text}: a staff-written answer (201)
 *   DELETE /api/admin/local-answers/:id     removes one
 */

type Guard = NonNullable<RouteShorthandOptions['preHandler']>;

const OBJECT = { type: 'object', additionalProperties: true } as const;
const ERROR_DOC = { type: 'object', properties: { ok: { type: 'boolean', enum: [false] }, code: { type: 'string' }, error: { type: 'string' }, fields: OBJECT } } as const;
const ID_PARAM = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } as const;
const read = { tags: ['admin'], security: [{ session: [] }] };
const write = { tags: ['admin'], security: [{ session: [], csrf: [] }] };
const DOCS = {
  mappings: { ...read, summary: 'Từ ngữ của người dân do xã gắn với thủ tục', response: { 200: OBJECT } },
  addMapping: {
    ...write,
    summary: 'Gắn từ ngữ của người dân với một thủ tục (áp dụng ngay)',
    body: { type: 'object', required: ['phrase', 'code'], properties: { phrase: { type: 'string', description: 'Ví dụ: bán hàng online' }, code: { type: 'string', description: 'Mã thủ tục, ví dụ 1.001612' } } },
    response: { 201: OBJECT, 400: ERROR_DOC, 404: ERROR_DOC, 409: ERROR_DOC },
  },
  removeMapping: { ...write, summary: 'Gỡ một từ ngữ đã gắn', params: ID_PARAM, response: { 200: OBJECT, 404: ERROR_DOC } },
  try: {
    ...write,
    summary: 'Bot sẽ hiểu câu này thế nào (không lưu gì)',
    body: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
    response: { 200: OBJECT, 400: ERROR_DOC, 503: ERROR_DOC },
  },
  answers: { ...read, summary: 'Câu trả lời do Trung tâm soạn', response: { 200: OBJECT } },
  addAnswer: {
    ...write,
    summary: 'Thêm câu trả lời do Trung tâm soạn (trích dẫn là thông tin của xã)',
    body: {
      type: 'object',
      required: ['topic', 'examples', 'text'],
      properties: { topic: { type: 'string' }, examples: { type: 'array', items: { type: 'string' } }, text: { type: 'string' } },
    },
    response: { 201: OBJECT, 400: ERROR_DOC },
  },
  removeAnswer: { ...write, summary: 'Gỡ một câu trả lời do Trung tâm soạn', params: ID_PARAM, response: { 200: OBJECT, 404: ERROR_DOC } },
} as const;



function failed(reply: FastifyReply, change: Extract<Change<unknown>, { ok: false }>, notFound: string): FastifyReply {
  if (change.reason === 'duplicate') return sendError(reply, 'conflict', M.duplicateMapping);
  if (change.reason === 'unknown_procedure') return sendFieldErrors(reply, M.unknownProcedure, { code: M.unknownProcedure });
  return sendError(reply, 'not_found', notFound);
}

export function registerVocabularyRoutes(app: FastifyInstance, deps: { admin: LocalKnowledgeAdmin; guard: Guard }): void {
  const { admin } = deps;
  const route = (schema: object) => ({ config: staffRateLimit, preHandler: deps.guard, schema });

  app.get('/api/admin/vocabulary', route(DOCS.mappings), async (_request, reply) => reply.send({ ok: true, mappings: await admin.mappings() }));

  app.post('/api/admin/vocabulary', route(DOCS.addMapping), async (request, reply) => {
    const b = parseMapping(request.body);
    if (!b.ok) return sendFieldErrors(reply, b.error, b.fields);
    const change = await admin.addMapping(b.value, guardedUser(request));
    if (!change.ok) return failed(reply, change, M.unknownMapping);
    return reply.code(201).send({ ok: true, mapping: change.value });
  });

  app.delete('/api/admin/vocabulary/:id', route(DOCS.removeMapping), async (request, reply) => {
    const p = IdParamsSchema.safeParse(request.params);
    if (!p.success) return sendError(reply, 'bad_request', M.badId);
    const change = await admin.removeMapping(p.data.id, guardedUser(request));
    if (!change.ok) return failed(reply, change, M.unknownMapping);
    return reply.send({ ok: true, mapping: change.value });
  });

  app.post('/api/admin/vocabulary/try', route(DOCS.try), async (request, reply) => {
    const b = parseTry(request.body);
    if (!b.ok) return sendFieldErrors(reply, b.error, b.fields);
    const reading = await admin.read(b.value.text);
    if (!reading) return sendError(reply, 'unavailable', M.notReady);
    return reply.send({ ok: true, reading });
  });

  app.get('/api/admin/local-answers', route(DOCS.answers), async (_request, reply) => reply.send({ ok: true, answers: await admin.answers() }));

  app.post('/api/admin/local-answers', route(DOCS.addAnswer), async (request, reply) => {
    const b = parseAnswer(request.body);
    if (!b.ok) return sendFieldErrors(reply, b.error, b.fields);
    const change = await admin.addAnswer(b.value, guardedUser(request));
    if (!change.ok) return failed(reply, change, M.unknownAnswer);
    return reply.code(201).send({ ok: true, answer: change.value });
  });

  app.delete('/api/admin/local-answers/:id', route(DOCS.removeAnswer), async (request, reply) => {
    const p = IdParamsSchema.safeParse(request.params);
    if (!p.success) return sendError(reply, 'bad_request', M.badId);
    const change = await admin.removeAnswer(p.data.id, guardedUser(request));
    if (!change.ok) return failed(reply, change, M.unknownAnswer);
    return reply.send({ ok: true, answer: change.value });
  });
}
