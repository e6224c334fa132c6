/** The error catalogue: every failure the APIs report, with a stable code and its HTTP status. */

export const ERRORS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  /** The backend could not save the message and set it aside as a dead letter: retrying will not help. */
  MESSAGE_NOT_SAVED: 422,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  NOT_PERSISTED_YET: 503,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** Field name → list of problems, as the spec's validation error body shows them. */
export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERRORS[code];
  }

  /** The JSON body the REST API answers with (spec §1: `{message, errors}`). */
  toJSON(): Record<string, unknown> {
    return { message: this.message, code: this.code, ...(this.fields ? { errors: this.fields } : {}) };
  }
}

export const validationError = (fields: FieldErrors): AppError =>
  new AppError('VALIDATION_FAILED', `Validation error: ${Object.keys(fields).join(', ')}`, fields);

export const notFound = (what: string): AppError => new AppError('NOT_FOUND', `${what} not found`);

export const unauthenticated = (why = 'Authentication required'): AppError => new AppError('UNAUTHENTICATED', why);

export const forbidden = (why: string): AppError => new AppError('FORBIDDEN', why);

/** Seconds a client is told to wait after a dependency failed: a Redis failover completes within them. */
export const UNAVAILABLE_RETRY_AFTER_S = 2;

/**
 * A dependency (Redis, ZooKeeper) did not answer in time: 503 with Retry-After, whatever the
 * transport. The message names the dependency only; the cause is the operator's to log.
 */
export const unavailable = (dependency: string): AppError =>
  new AppError('UNAVAILABLE', `${dependency} is unavailable; retry in ${UNAVAILABLE_RETRY_AFTER_S} s`, undefined, UNAVAILABLE_RETRY_AFTER_S);

/** Raised by a store when a unique key (conversation id or uuid) is already taken. */
export class StoreConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreConflictError';
  }
}

/** A poster the store found unable to post into the flow when the batch was written; `archived`: the flow is, and they are an active member. */
export interface RefusedPoster {
  flowId: string;
  userId: number;
  archived: boolean;
}

/** Raised by a store that checks posters (ADR 035): nothing of the batch was written, because of these posters. */
export class PosterRefusedError extends Error {
  constructor(readonly refused: RefusedPoster[]) {
    super(`posters refused: ${refused.map((r) => `user ${r.userId} in flow ${r.flowId}${r.archived ? ' (archived)' : ''}`).join(', ')}`);
    this.name = 'PosterRefusedError';
  }
}

/** Raised by a store when a batch's fencing token is no longer the shard's current one. */
export class FencedOffError extends Error {
  constructor(shard: number, token: number) {
    super(`shard ${shard}: lease token ${token} is no longer current`);
    this.name = 'FencedOffError';
  }
}

/** What an API answers for an error, whatever the transport (REST, HTTP stream, WebSocket frame). */
export interface ErrorAnswer {
  status: number;
  /** `{message, code, errors?}` (spec §1). */
  body: Record<string, unknown>;
  retryAfterSeconds?: number;
  /** Not an AppError: a bug or an outage, which the caller logs; the client learns nothing of it. */
  unexpected: boolean;
}

/** The one mapping from a thrown error to its answer: an AppError by its catalogue status, anything else a bare 500. */
export function errorAnswer(error: unknown): ErrorAnswer {
  if (error instanceof AppError) return { status: error.status, body: error.toJSON(), retryAfterSeconds: error.retryAfterSeconds, unexpected: false };
  return { status: ERRORS.INTERNAL, body: { message: 'Internal server error', code: 'INTERNAL' }, unexpected: true };
}
