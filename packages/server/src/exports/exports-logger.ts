/** The part of a pino/Fastify logger exports write to. */
export interface ExportsLogger {
  error(details: object, message: string): void;
}
