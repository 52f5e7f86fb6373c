/** An error definition: a stable code, the HTTP status it maps to and a message template. */
export interface ErrorDefinition {
  readonly code: string;
  readonly status: number;
  /** Message with `{name}` placeholders filled from the params given when it is thrown. */
  readonly template: string;
  /** One sentence for docs/errors.md: what the caller can do about it. */
  readonly hint: string;
}

export type ErrorParams = Readonly<Record<string, string | number | boolean>>;

/**
 * The one error type Sightline throws on purpose. Anything else reaching the error handler is an
 * internal error: logged with the request id, answered as ERR_INTERNAL without details.
 */
export class SightlineError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;
  /** Sent as the Retry-After header (429/503); taken from the `retryAfterSec` param. */
  readonly retryAfterSec: number | undefined;

  constructor(definition: ErrorDefinition, params: ErrorParams = {}, details?: unknown) {
    super(formatTemplate(definition.template, params));
    this.name = 'SightlineError';
    this.code = definition.code;
    this.status = definition.status;
    this.details = details;
    this.retryAfterSec =
      typeof params.retryAfterSec === 'number' ? params.retryAfterSec : undefined;
  }
}

export function defineError(
  code: `ERR_${string}`,
  status: number,
  template: string,
  hint: string,
): ErrorDefinition {
  return Object.freeze({ code, status, template, hint });
}

export function isSightlineError(value: unknown): value is SightlineError {
  return value instanceof SightlineError;
}

export function formatTemplate(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}
