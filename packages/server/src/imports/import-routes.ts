import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ERR_REQUEST_BODY_TOO_LARGE,
  ERR_REQUEST_INVALID,
  ERR_REQUEST_UNSUPPORTED_MEDIA,
  isSightlineError,
  SightlineError,
} from '@sightline/shared';
import { describeActor, getPrincipal, SECURED_ROUTE } from '../auth/index.ts';
import {
  IMPORT_KINDS,
  IMPORT_LIMITS,
  resolveImportFormat,
  resolveImportKind,
} from './import-kinds.ts';
import { runImport, type ImportServices } from './run-import.ts';

export interface ImportRoutesDeps {
  services: ImportServices;
}

const CSV_TYPES = ['text/csv'];
const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];
/** text/plain and octet-stream carry either format; ?format= then says which. */
const BODY_TYPES = [...CSV_TYPES, ...NDJSON_TYPES, 'text/plain', 'application/octet-stream'];

const importResultSchema = z.object({
  kind: z.enum(IMPORT_KINDS),
  rowsRead: z.number().int().describe('Rows in the file (header and blank lines not counted)'),
  rowsImported: z.number().int().describe('Rows stored (a repeated key counts each time)'),
  rowsRejected: z.number().int().describe('Rows skipped because they were invalid'),
  errors: z
    .array(
      z.object({
        line: z.number().int().describe('Line the row starts on; a CSV header is line 1'),
        code: z.string().describe('ERR_IMPORT_ROW_INVALID'),
        message: z.string(),
      }),
    )
    .describe(`The first ${IMPORT_LIMITS.maxReportedErrors} rejected rows, in file order`),
  errorsOmitted: z.number().int().describe('Rejected rows beyond those listed'),
  durationMs: z.number().int(),
});

const fileBody = z
  .custom<Readable>((value) => value instanceof Readable, 'expected the file as the request body')
  .optional()
  .describe('The file itself: CSV with a header row, or NDJSON (one JSON object per line), UTF-8');

/**
 * POST /api/v1/projects/:projectId/imports/:kind. In its own plugin scope: its body parsers hand
 * the request stream to the importer unread, so a 200 MB file is never held in memory, and no
 * other route accepts these content types.
 */
export function registerImportRoutes(app: FastifyInstance, deps: ImportRoutesDeps): void {
  void app.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(BODY_TYPES, (_request, payload, done) => done(null, payload));
    scope.addContentTypeParser('*', (request, _payload, done) =>
      done(
        new SightlineError(ERR_REQUEST_UNSUPPORTED_MEDIA, {
          type: String(request.headers['content-type']).slice(0, 100),
        }),
        undefined,
      ),
    );
    scope.addHook('preParsing', (request, _reply, payload, done) => {
      if (Number(request.headers['content-length']) > IMPORT_LIMITS.maxFileBytes)
        return done(bodyTooLarge());
      const encoding = request.headers['content-encoding'];
      if (!encoding || encoding === 'identity') return done(null, payload);
      if (encoding !== 'gzip') {
        const type = `Content-Encoding ${encoding.slice(0, 50)}`;
        return done(new SightlineError(ERR_REQUEST_UNSUPPORTED_MEDIA, { type }));
      }
      // pipeline, not pipe: an aborted upload must fail the gunzip stream the importer reads.
      return done(
        null,
        pipeline(payload, createGunzip(), () => undefined),
      );
    });

    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/projects/:projectId/imports/:kind',
      {
        // Binds only Fastify's buffering parsers; for this stream the Content-Length check above
        // and capBytes below enforce it.
        bodyLimit: IMPORT_LIMITS.maxFileBytes,
        config: { permission: 'data:import' },
        schema: {
          tags: ['imports'],
          summary: 'Import orders, products or inventory snapshots from CSV or NDJSON',
          description: [
            'The body is the file (at most 200 MB, optionally Content-Encoding: gzip): CSV with a',
            'header row (Content-Type: text/csv) or NDJSON (application/x-ndjson); with',
            'text/plain or application/octet-stream say which in ?format=. Columns per kind are in',
            'docs/events.md; money is integer minor units. Valid rows are stored in chunks and',
            'invalid ones listed with their line; the file as a whole fails (400',
            'ERR_IMPORT_FORMAT_INVALID, ERR_IMPORT_KIND_UNKNOWN) only when it cannot be read at',
            'all. Importing the same file again is harmless: rows are upserted by key and an',
            "order's lines replaced. Needs the data:import permission.",
          ].join(' '),
          security: SECURED_ROUTE,
          consumes: BODY_TYPES,
          params: z.object({
            projectId: z.string().min(1).max(100),
            kind: z.string().min(1).max(50).describe(IMPORT_KINDS.join(' | ')),
          }),
          querystring: z.object({
            // A string, not an enum: a wrong format answers ERR_IMPORT_FORMAT_INVALID like the rest.
            format: z
              .string()
              .max(20)
              .optional()
              .describe('csv | ndjson; default: from the Content-Type'),
          }),
          body: fileBody,
          response: { 200: importResultSchema },
        },
      },
      async (request) => {
        const kind = resolveImportKind(request.params.kind);
        const format = resolveImportFormat(
          request.query.format ?? formatFromContentType(request.headers['content-type']),
        );
        const body = request.body;
        return runImport({
          services: deps.services,
          projectId: request.params.projectId,
          kind,
          format,
          input: body ? capBytes(body, IMPORT_LIMITS.maxFileBytes) : Readable.from([]),
          actor: describeActor(getPrincipal(request)),
        });
      },
    );
    done();
  });
}

function formatFromContentType(header: string | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (CSV_TYPES.includes(type)) return 'csv';
  return NDJSON_TYPES.includes(type) ? 'ndjson' : undefined;
}

function bodyTooLarge(): SightlineError {
  return new SightlineError(ERR_REQUEST_BODY_TOO_LARGE, { limit: IMPORT_LIMITS.maxFileBytes });
}

/** Counts the (decompressed) body as it streams; a body cut short or corrupt is the client's. */
async function* capBytes(source: Readable, maxBytes: number): AsyncGenerator<Buffer> {
  let total = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw bodyTooLarge();
      yield chunk;
    }
  } catch (error) {
    if (isSightlineError(error)) throw error;
    throw new SightlineError(ERR_REQUEST_INVALID, {
      reason: `the request body could not be read (${(error as Error).message.slice(0, 100)})`,
    });
  }
}
