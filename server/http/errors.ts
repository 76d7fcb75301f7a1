import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';

/** The one error shape of the API: `{error:{code,message,details}}` with a SCREAMING_SNAKE code. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details: unknown = null) => new AppError(400, code, message, details);
export const notFound = (code: string, message: string, details: unknown = null) => new AppError(404, code, message, details);
export const conflict = (code: string, message: string, details: unknown = null) => new AppError(409, code, message, details);

export interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

function errorBody(code: string, message: string, details: unknown = null): ErrorBody {
  return { error: { code, message, details } };
}

/** Turns zod issues into `details` a client can map onto form fields. */
export function validationDetails(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

export const notFoundHandler: RequestHandler = (request, response) => {
  response.status(404).json(errorBody('NOT_FOUND', `No API route ${request.method} ${request.path}`));
};

interface BodyParserError {
  type?: string;
  status?: number;
}

/** The one error middleware: known errors keep their status; anything else is a 500 without internals. */
export function errorHandler(log: { error: (object: unknown, message: string) => void }): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    if (error instanceof AppError) {
      const retryAfterSeconds = (error.details as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
      if (error.status === 429 && typeof retryAfterSeconds === 'number') response.setHeader('Retry-After', String(Math.ceil(retryAfterSeconds)));
      response.status(error.status).json(errorBody(error.code, error.message, error.details));
      return;
    }
    if (error instanceof z.ZodError) {
      response.status(400).json(errorBody('VALIDATION_FAILED', 'The request is not valid', validationDetails(error)));
      return;
    }
    const parserError = error as BodyParserError;
    if (parserError.type === 'entity.parse.failed') {
      response.status(400).json(errorBody('MALFORMED_JSON', 'The request body is not valid JSON'));
      return;
    }
    if (parserError.type === 'entity.too.large') {
      response.status(413).json(errorBody('PAYLOAD_TOO_LARGE', 'The request body is larger than this route accepts'));
      return;
    }
    if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      response.status(parserError.status).json(errorBody('BAD_REQUEST', 'The request could not be read'));
      return;
    }
    log.error({ err: error, requestId: request.id }, 'unhandled error');
    response.status(500).json(errorBody('INTERNAL', 'Something went wrong on the server; the request id is in the details', { requestId: request.id }));
  };
}
