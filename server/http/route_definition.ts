import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { AppError, validationDetails } from './errors.ts';

type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Parsed input of a route, typed from its zod schemas. */
export interface RouteInput<Query, Params, Body> {
  query: Query;
  params: Params;
  body: Body;
  request: Request;
  response: Response;
}

/**
 * One route: its HTTP shape, schemas and handler. The handler returns the JSON body; returning
 * `undefined` means it wrote the response itself (files, HTML). The same definition feeds the
 * OpenAPI document and the authorization matrix, so neither can drift from the router.
 */
export interface RouteDefinition<Query = unknown, Params = unknown, Body = unknown> {
  method: HttpMethod;
  /** Express path below /api/v1, e.g. `/segments/:id`. */
  path: string;
  summary: string;
  tag: string;
  query?: z.ZodType<Query>;
  params?: z.ZodType<Params>;
  body?: z.ZodType<Body>;
  /** Status of a successful response (default 200). */
  successStatus?: number;
  /** Media type of a successful response (default application/json). */
  responseType?: string;
  handler: (input: RouteInput<Query, Params, Body>) => Promise<unknown>;
}

/** Lets TypeScript infer a definition's generics from its schemas. */
export function defineRoute<Query = undefined, Params = undefined, Body = undefined>(
  definition: RouteDefinition<Query, Params, Body>,
): RouteDefinition<Query, Params, Body> {
  return definition;
}

function parsePart<T>(schema: z.ZodType<T> | undefined, value: unknown, part: string): T {
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const details = validationDetails(parsed.error).map((detail) => ({ ...detail, in: part }));
    const first = details[0];
    const message = first ? `${part} ${first.path ? `"${first.path}" ` : ''}is not valid: ${first.message}` : `${part} is not valid`;
    throw new AppError(400, 'VALIDATION_FAILED', message, details);
  }
  return parsed.data;
}

/** Mounts definitions on a router with validation in front of each handler. */
export function mountRoutes(router: Router, definitions: readonly RouteDefinition<any, any, any>[]): void {
  for (const definition of definitions) {
    router[definition.method](definition.path, async (request, response) => {
      const query = parsePart(definition.query, request.query, 'query');
      const params = parsePart(definition.params, request.params, 'path');
      const body = parsePart(definition.body, request.body, 'body');
      const result = await definition.handler({ query, params, body, request, response });
      if (result !== undefined) response.status(definition.successStatus ?? 200).json(result);
    });
  }
}
