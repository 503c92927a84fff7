import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import { API_KEY_HEADER, API_KEY_QUERY } from './api-key';
import { ApiKeyStore } from './api-key.store';
import type { Permission } from './access-policy';
import { PERMISSION_KEY } from './authorize.decorator';
import type { Principal } from './principal';

const PUBLIC = 'api:public';
const QUERY_KEY_ALLOWED = 'api:query-key-allowed';
const BEARER_KEY_ALLOWED = 'api:bearer-key-allowed';

// Routes anyone may call (health, the OpenAPI document).
export const Public = () => SetMetadata(PUBLIC, true);
// Routes that also accept the key as ?key=, for EventSource, which cannot set headers.
export const QueryKeyAllowed = () => SetMetadata(QUERY_KEY_ALLOWED, true);
// Routes that also accept the key as `Authorization: Bearer <key>`, for Prometheus, whose scrape configs set no
// other header.
export const BearerKeyAllowed = () => SetMetadata(BEARER_KEY_ALLOWED, true);

// Where a route lets the key come from besides the x-api-key header.
export interface KeySources {
  query: boolean;
  bearer: boolean;
}
const HEADER_ONLY: KeySources = { query: false, bearer: false };

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
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;

    if (!this.reflector.getAllAndOverride<Permission>(PERMISSION_KEY, targets)) {
      throw ApiError.forbidden('this route has no authorization decision');
    }
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    // Authenticated already by the middleware that guards body parsing (authenticate-first.middleware.ts).
    if (request.principal) return true;
    const sources: KeySources = {
      query: this.reflector.getAllAndOverride<boolean>(QUERY_KEY_ALLOWED, targets) ?? false,
      bearer: this.reflector.getAllAndOverride<boolean>(BEARER_KEY_ALLOWED, targets) ?? false,
    };
    request.principal = await authenticateRequest(this.keys, request, sources);
    return true;
  }
}

// The key from the header (or ?key= or a bearer token where the route allows it), looked up in the store; 401
// otherwise.
export async function authenticateRequest(keys: ApiKeyStore, request: Request, sources: KeySources = HEADER_ONLY): Promise<Principal> {
  const header = request.headers[API_KEY_HEADER];
  let key = typeof header === 'string' && header.length > 0 ? header : undefined;
  const bearer = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '');
  if (key === undefined && bearer !== null) {
    if (!sources.bearer) {
      throw new ApiError('UNAUTHENTICATED', `send the API key in the ${API_KEY_HEADER} header (a bearer token is accepted only by /metrics)`);
    }
    key = bearer[1];
  }
  const fromQuery = request.query[API_KEY_QUERY];
  if (key === undefined && typeof fromQuery === 'string' && fromQuery.length > 0) {
    if (!sources.query) {
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
