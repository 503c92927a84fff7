import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

// Nest's default filter for message handlers turns any error into { status: 'error', message: 'Internal server
// error' } and logs it. The batch consumer needs the error itself (its text goes into the retry log, and a failed
// batch is retried, not answered): a batch handler is decorated with @UseFilters(new RethrowRpcErrors()).
@Catch()
export class RethrowRpcErrors implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
