// One error type for expected failures. Its code decides the HTTP status and whether the
// message may be shown to the user; anything else is logged and shown as a generic message.
export const ERROR_STATUS = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  INVALID: 422,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/**
 * An unexpected error as the logs get it: its stack (or message), never the object itself, which
 * may carry the request it came from (headers and all) or the values of the rows a query wrote.
 */
export const forLog = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));
