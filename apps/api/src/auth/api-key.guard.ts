import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MetricsController } from '@app/observability';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import { API_KEY_HEADER, API_KEY_QUERY } from './api-key';
import { ApiKeyStore } from './api-key.store';
import type { Permission } from './access-policy';
import { PERMISSION_KEY } from './authorize.decorator';
import type { Principal } from './principal';

const PUBLIC = 'api:public';
const QUERY_KEY_ALLOWED = 'api:query-key-allowed';

// Routes anyone may call (health, the OpenAPI document).
export const Public = () => SetMetadata(PUBLIC, true);
// Controllers from the shared libraries, which cannot carry this app's @Public(): Prometheus scrapes /metrics
// without a key, as it does on the ledger and the relay. It reveals request counts, nothing about the ledger.
const PUBLIC_CONTROLLERS: ReadonlySet<Function> = new Set([MetricsController]);
// Routes that also accept the key as ?key=, for EventSource, which cannot set headers.
export const QueryKeyAllowed = () => SetMetadata(QUERY_KEY_ALLOWED, true);

export type AuthedRequest = Request & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) throw new ApiError('UNAUTHENTICATED', 'an API key is required');
  return principal;
});

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (PUBLIC_CONTROLLERS.has(context.getClass()) || this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;

    if (!this.reflector.getAllAndOverride<Permission>(PERMISSION_KEY, targets)) {
      throw ApiError.forbidden('this route has no authorization decision');
    }
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    // Authenticated already by the middleware that guards body parsing (authenticate-first.middleware.ts).
    if (request.principal) return true;
    const queryKeyAllowed = this.reflector.getAllAndOverride<boolean>(QUERY_KEY_ALLOWED, targets) ?? false;
    request.principal = await authenticateRequest(this.keys, request, queryKeyAllowed);
    return true;
  }
}

// The key from the header (or ?key= where the route allows it), looked up in the store; 401 otherwise.
export async function authenticateRequest(keys: ApiKeyStore, request: Request, queryKeyAllowed: boolean): Promise<Principal> {
  const header = request.headers[API_KEY_HEADER];
  let key = typeof header === 'string' && header.length > 0 ? header : undefined;
  const fromQuery = request.query[API_KEY_QUERY];
  if (key === undefined && typeof fromQuery === 'string' && fromQuery.length > 0) {
    if (!queryKeyAllowed) {
      throw new ApiError(
        'UNAUTHENTICATED',
        `send the API key in the ${API_KEY_HEADER} header (?${API_KEY_QUERY}= is accepted only by /alerts/stream)`,
      );
    }
    key = fromQuery;
  }
  if (key === undefined) throw new ApiError('UNAUTHENTICATED', `an API key is required in the ${API_KEY_HEADER} header`);
  if (key.length > 200) throw new ApiError('UNAUTHENTICATED', 'the API key is not valid');

  const principal = await keys.find(key);
  if (!principal) throw new ApiError('UNAUTHENTICATED', 'the API key is not valid or has been revoked');
  return principal;
}
