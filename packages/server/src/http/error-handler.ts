import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ERR_INTERNAL,
  ERR_NOT_FOUND,
  ERR_REQUEST_BODY_TOO_LARGE,
  ERR_REQUEST_INVALID,
  ERR_REQUEST_UNSUPPORTED_MEDIA,
  INGEST_LIMITS,
  SightlineError,
  isSightlineError,
} from '@sightline/shared';

/** The one error body shape: `{ "error": { "code", "message", "details"? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Fastify's own errors, translated into catalogue codes so clients see one vocabulary. */
function translateFrameworkError(error: FastifyError): SightlineError | null {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new SightlineError(ERR_REQUEST_BODY_TOO_LARGE, { limit: INGEST_LIMITS.maxBodyBytes });
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new SightlineError(ERR_REQUEST_UNSUPPORTED_MEDIA, { type: 'this content type' });
  }
  if (error.validation) {
    const details = error.validation.map((issue) => ({
      path:
        issue.instancePath ||
        String((issue.params as { missingProperty?: string }).missingProperty ?? ''),
      message: issue.message ?? 'invalid',
    }));
    return new SightlineError(ERR_REQUEST_INVALID, { reason: error.message }, details);
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    // Malformed JSON, bad content length, aborted upload: the message is Fastify's and safe.
    return new SightlineError(ERR_REQUEST_INVALID, { reason: error.message });
  }
  return null;
}

export function sendError(reply: FastifyReply, error: SightlineError): FastifyReply {
  if (error.retryAfterSec !== undefined)
    void reply.header('Retry-After', String(error.retryAfterSec));
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.details !== undefined) body.error.details = error.details;
  return reply.status(error.status).send(body);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = isSightlineError(error) ? error : translateFrameworkError(error);
    if (known) {
      if (known.status >= 500) request.log.warn({ code: known.code }, known.message);
      return sendError(reply, known);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, new SightlineError(ERR_INTERNAL, { requestId: request.id }));
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new SightlineError(ERR_NOT_FOUND, {
        method: request.method,
        url: request.url.split('?')[0] ?? '',
      }),
    ),
  );
}
