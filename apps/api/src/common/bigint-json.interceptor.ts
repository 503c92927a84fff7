import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { stringifyJson } from '@app/contracts';
import type { Response } from 'express';
import { Observable, map } from 'rxjs';

// A response body already written as JSON (e.g. a cached listing): sent as it is, not serialised again.
export class JsonText {
  constructor(readonly text: string) {}
}

// Amounts are bigints and must reach clients digit for digit as JSON integers. Express's res.json cannot write
// a bigint (and a Number would round above 2^53), so every JSON response is serialised here instead.
@Injectable()
export class BigintJsonInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    // A handler that declares its own Content-Type with @Header (e.g. /metrics, Prometheus text) writes its own body;
    // Nest sets those headers before the interceptors run.
    if (response.getHeader('content-type') !== undefined) return next.handle();
    return next.handle().pipe(
      map((body: unknown) => {
        if (body === undefined || response.headersSent) return body;
        response.type('application/json');
        return body instanceof JsonText ? body.text : stringifyJson(body);
      }),
    );
  }
}
