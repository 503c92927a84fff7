import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { stringifyJson } from '@app/contracts';
import type { Response } from 'express';
import { Observable, map } from 'rxjs';

// Amounts are bigints and must reach clients digit for digit as JSON integers. Express's res.json cannot write
// a bigint (and a Number would round above 2^53), so every JSON response is serialised here instead.
@Injectable()
export class BigintJsonInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: unknown) => {
        if (body === undefined || response.headersSent) return body;
        response.type('application/json');
        return stringifyJson(body);
      }),
    );
  }
}
