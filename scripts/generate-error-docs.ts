// Writes docs/errors.md from the one error catalogue; `--check` fails when the file is stale.
import { writeGeneratedDoc } from './write-generated-doc.ts';
import * as shared from '@sightline/shared';
import type { ErrorDefinition } from '@sightline/shared';

const PATH = 'docs/errors.md';

function isDefinition(value: unknown): value is ErrorDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorDefinition).code === 'string' &&
    typeof (value as ErrorDefinition).status === 'number' &&
    typeof (value as ErrorDefinition).template === 'string'
  );
}

export function renderErrorDocs(): string {
  const definitions = Object.values(shared).filter(isDefinition);
  const byDomain = new Map<string, ErrorDefinition[]>();
  for (const definition of definitions) {
    const domain = definition.code.split('_')[1] ?? 'OTHER';
    byDomain.set(domain, [...(byDomain.get(domain) ?? []), definition]);
  }
  const lines = [
    '# Errors',
    '',
    '<!-- Generated from packages/shared/src/errors/catalogue.ts by `npm run docs:errors`. Do not edit. -->',
    '',
    'Every error response has the same shape, and `code` is stable (never renamed):',
    '',
    '```json',
    '{ "error": { "code": "ERR_INGEST_BATCH_TOO_LARGE", "message": "Batch exceeds 500 events", "details": {} } }',
    '```',
    '',
    '`details` is present where it helps (validation issues, the rejected items of a batch). 429 and 503',
    'answers carry `Retry-After` (seconds). Internal errors never leak internals: the message names the',
    'request id (also in the `x-request-id` response header), which the operator finds in the server log.',
    '',
  ];
  for (const [domain, list] of [...byDomain].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(
      `## ${domain}`,
      '',
      '| Code | HTTP | Message | What to do |',
      '| --- | --- | --- | --- |',
    );
    for (const d of list.sort((a, b) => a.code.localeCompare(b.code))) {
      lines.push(
        `| \`${d.code}\` | ${d.status} | ${d.template.replace(/\|/g, '\\|')} | ${d.hint.replace(/\|/g, '\\|')} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

writeGeneratedDoc(PATH, renderErrorDocs(), 'docs:errors');
