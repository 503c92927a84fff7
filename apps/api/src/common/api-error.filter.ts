import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { JsonLogger } from '@app/observability';
import type { Request, Response } from 'express';
import { ApiError, ApiErrorCode } from './api-error';

interface ErrorBody {
  error: { code: ApiErrorCode; message: string; details: unknown };
}

// Every error leaves the API in one shape. Nest's own HttpExceptions (unknown route, body parser errors such as
// malformed JSON or an oversized body) are translated to the same codes so clients need a single error path.
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const [status, body] = this.toBody(exception);
    if (status >= 500) {
      const request = http.getRequest<Request>();
      this.logger.error({ msg: 'request failed', method: request.method, path: request.path, err: exception });
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(status).type('application/json').send(JSON.stringify(body));
  }

  private toBody(exception: unknown): [number, ErrorBody] {
    if (exception instanceof ApiError) {
      return [exception.status, { error: { code: exception.code, message: exception.message, details: exception.details } }];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code: ApiErrorCode =
        status === HttpStatus.NOT_FOUND
          ? 'NOT_FOUND'
          : status === HttpStatus.PAYLOAD_TOO_LARGE
            ? 'PAYLOAD_TOO_LARGE'
            : status === HttpStatus.UNAUTHORIZED
              ? 'UNAUTHENTICATED'
              : status === HttpStatus.FORBIDDEN
                ? 'FORBIDDEN'
                : status < 500
                  ? 'INVALID_REQUEST'
                  : 'INTERNAL';
      return [status, { error: { code, message: exception.message, details: null } }];
    }
    // Body-parser errors are plain errors carrying an HTTP status (e.g. 400 for malformed JSON, 413 for size).
    const withStatus = exception as { status?: unknown; type?: unknown; message?: unknown };
    if (typeof withStatus?.status === 'number' && withStatus.status >= 400 && withStatus.status < 500) {
      const code: ApiErrorCode = withStatus.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_REQUEST';
      const message = withStatus.type === 'entity.parse.failed' ? 'request body is not valid JSON' : String(withStatus.message);
      return [withStatus.status, { error: { code, message, details: null } }];
    }
    return [500, { error: { code: 'INTERNAL', message: 'internal error', details: null } }];
  }
}
