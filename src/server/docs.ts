import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { $ZodType } from 'zod/v4/core';
import { z } from 'zod';
import { SESSION_COOKIE } from './auth/types.ts';

export interface DocsOptions {
  /** The server's public address, listed in the document when set. */
  publicUrl?: string;
}

export const DOCS_TITLE = 'Trợ lý thủ tục hành chính — API cán bộ';

/** The one error body, for route schemas. */
export const ErrorBodySchema = z.object({ ok: z.literal(false), code: z.string(), error: z.string() });

/**
 * OpenAPI 3 at `/docs/json` and the Swagger UI at `/docs`, generated from the routes' own schemas. Register it
 * before the routes it describes (@fastify/swagger collects them as they are added). Routes may use zod schemas
 * (inside a scope prepared by `useZod`) or plain JSON schemas: zod ones are converted, plain ones kept as they are.
 */
export async function registerDocs(app: FastifyInstance, opts: DocsOptions = {}): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: DOCS_TITLE,
        version: '1',
        description:
          'API của bảng điều khiển cán bộ. Đăng nhập bằng POST /api/auth/login: phiên làm việc nằm trong cookie httpOnly; ' +
          'mọi yêu cầu POST, PUT, PATCH, DELETE gửi kèm mã csrfToken nhận được trong tiêu đề x-csrf-token.',
      },
      ...(opts.publicUrl ? { servers: [{ url: opts.publicUrl }] } : {}),
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: (doc) => (hasZodSchema(doc.schema) ? jsonSchemaTransform(doc) : { schema: doc.schema, url: doc.url }),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}

/** Lets the routes of an encapsulated scope use zod schemas for validation and serialisation. */
export function useZod(scope: FastifyInstance): void {
  scope.setValidatorCompiler(validatorCompiler);
  scope.setSerializerCompiler(serializerCompiler);
}

function hasZodSchema(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object') return false;
  const s = schema as Record<string, unknown>;
  const parts = [s.body, s.querystring, s.params, s.headers, ...Object.values((s.response as Record<string, unknown> | undefined) ?? {})];
  return parts.some((p) => p instanceof $ZodType);
}
