import { HttpStatus } from '@nestjs/common';

// One exception type for the whole API, with a stable string code. The filter in api-error.filter.ts maps it
// (and Nest's own exceptions) to the single error shape clients see: {"error":{"code","message","details"}}.
export type ApiErrorCode =
  | 'INVALID_REQUEST'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'URI_TOO_LONG'
  | 'HEADERS_TOO_LARGE'
  | 'TOO_MANY_STREAMS'
  | 'UNAVAILABLE'
  | 'INTERNAL';

const STATUS: Record<ApiErrorCode, number> = {
  INVALID_REQUEST: HttpStatus.BAD_REQUEST,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  URI_TOO_LONG: HttpStatus.URI_TOO_LONG,
  HEADERS_TOO_LARGE: 431,
  TOO_MANY_STREAMS: HttpStatus.TOO_MANY_REQUESTS,
  UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  INTERNAL: HttpStatus.INTERNAL_SERVER_ERROR,
};

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details: FieldProblem[] | Record<string, unknown> | null = null,
  ) {
    super(message);
    this.status = STATUS[code];
  }

  static invalid(problems: FieldProblem[]): ApiError {
    const summary = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    return new ApiError('INVALID_REQUEST', `invalid request: ${summary}`, problems);
  }

  static notFound(what: string): ApiError {
    return new ApiError('NOT_FOUND', `${what} not found`);
  }

  static forbidden(message: string): ApiError {
    return new ApiError('FORBIDDEN', message);
  }
}
