import { z } from 'zod';
import type { RouteDefinition } from './route_definition.ts';

type JsonSchema = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

function objectProperties(schema: z.ZodType | undefined): [string, JsonSchema, boolean][] {
  if (!schema) return [];
  const json = toJsonSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => [name, property, required.has(name)]);
}

const ERROR_RESPONSE = {
  description: 'Error: `{error:{code,message,details}}`',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
            required: ['code', 'message', 'details'],
          },
        },
      },
    },
  },
};

/** Builds the OpenAPI 3.1 document from the mounted route definitions. */
export function buildOpenApiDocument(definitions: readonly RouteDefinition<any, any, any, any>[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const definition of definitions) {
    const openApiPath = `/api/v1${definition.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    const parameters = [
      ...objectProperties(definition.params).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
      ...objectProperties(definition.query).map(([name, schema, required]) => ({ name, in: 'query', required, schema })),
    ];
    const operation: Record<string, unknown> = {
      summary: definition.summary,
      tags: [definition.tag],
      parameters,
      responses: {
        [String(definition.successStatus ?? 200)]: {
          description: 'Success',
          content: { [definition.responseType ?? 'application/json']: {} },
        },
        '4XX': ERROR_RESPONSE,
      },
    };
    if (definition.access !== 'public') {
      // Either credential works; the cookie one also needs X-CSRF-Token on unsafe methods.
      operation.security = [{ bearerAuth: [] }, { sessionCookie: [] }];
      operation['x-permission'] = definition.access.permission;
      (operation.responses as Record<string, unknown>)['401'] = { ...ERROR_RESPONSE, description: 'UNAUTHENTICATED: no valid session or token' };
      (operation.responses as Record<string, unknown>)['403'] = { ...ERROR_RESPONSE, description: 'FORBIDDEN: the role lacks the permission' };
    } else {
      operation.security = [];
    }
    if (definition.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: toJsonSchema(definition.body) } } };
    }
    paths[openApiPath] = { ...paths[openApiPath], [definition.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Luyu (路域) API', version, description: 'Road-corridor inspection platform. Errors are always {error:{code,message,details}}.' },
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/v1/auth/login' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'luyu_session', description: 'Browser session; send the luyu_csrf cookie value as X-CSRF-Token on POST/PUT/PATCH/DELETE' },
      },
    },
  };
}
