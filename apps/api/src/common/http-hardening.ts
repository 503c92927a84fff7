// What every request meets before any route: security headers on every answer, bounds on the URL and headers
// answered in the JSON error shape, and no body read from anyone who has not been authenticated (only
// pre-clearance takes a body, up to PRE_CLEARANCE_BODY_BYTES_MAX).
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { authenticateRequest, type AuthedRequest } from '../auth/api-key.guard';
import type { ApiKeyStore } from '../auth/api-key.store';
import { ApiError } from './api-error';

// The largest valid event (1,000 items of catalogue chips) is about 45 KB of JSON; typical ones are under 1 KB.
export const PRE_CLEARANCE_BODY_BYTES_MAX = 64 * 1024;
// Longer than any URL the API or the dashboard builds (filters and a cursor fit in well under 2 KB).
export const URL_BYTES_MAX = 8 * 1024;
// Node refuses larger request heads itself (the http server's maxHeaderSize); clientErrorAsJson words the refusal.
export const HEADER_BYTES_MAX = 16 * 1024;

const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
// The interactive docs (Swagger UI) style themselves inline; scripts still come from this server only.
const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': DASHBOARD_CSP,
};

const SECURITY_HEADER_LIST = Object.entries(SECURITY_HEADERS);

export function securityHeaders(request: Request, response: Response, next: NextFunction): void {
  for (const [name, value] of SECURITY_HEADER_LIST) response.setHeader(name, value);
  if (request.path === '/docs' || request.path.startsWith('/docs/')) response.setHeader('Content-Security-Policy', DOCS_CSP);
  next();
}

export function urlLengthGuard(request: Request, _response: Response, next: NextFunction): void {
  if (Buffer.byteLength(request.originalUrl, 'utf8') > URL_BYTES_MAX) {
    next(new ApiError('URI_TOO_LONG', `the URL is longer than ${URL_BYTES_MAX} bytes`));
  } else next();
}

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

// Every route but pre-clearance refuses a body without reading it.
export function noBodyOutside(paths: readonly string[]): RequestHandler {
  return (request, _response, next) => {
    if (hasBody(request) && !paths.some((p) => request.path === p || request.path.startsWith(`${p}/`))) {
      next(new ApiError('PAYLOAD_TOO_LARGE', `${request.path} takes no request body`));
    } else next();
  };
}

// The key is checked before a single byte of the body is parsed; then the JSON (as sent: pre-clearance judges the
// raw bytes, like the ledger) is read up to the limit.
export function authenticatedJsonBody(keys: ApiKeyStore, limitBytes: number): RequestHandler[] {
  const authenticate: RequestHandler = (request, _response, next) => {
    authenticateRequest(keys, request).then(
      (principal) => {
        (request as AuthedRequest).principal = principal;
        next();
      },
      (error: unknown) => next(error),
    );
  };
  const parse = express.json({
    limit: limitBytes,
    verify: (request, _response, buffer) => {
      (request as Request & { rawBody?: Buffer }).rawBody = buffer;
    },
  });
  return [authenticate, parse];
}

// Requests Node rejects while reading the head (too large, malformed) never reach Express: answer them here, in
// the API's error shape, instead of Node's empty 431/400.
export function clientErrorAsJson(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const [status, reason, code, message] = tooLarge
      ? [431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE', `the request line and headers exceed ${HEADER_BYTES_MAX} bytes`]
      : [400, 'Bad Request', 'INVALID_REQUEST', 'the request is not valid HTTP'];
    const body = JSON.stringify({ error: { code, message, details: null } });
    const headers = Object.entries({ ...SECURITY_HEADERS, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.end(`HTTP/1.1 ${status} ${reason}\r\n${headers}\r\n${body}`);
  });
}
