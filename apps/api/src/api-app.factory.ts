import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LogLevel } from '@app/config';
import { JsonLogger } from '@app/observability';
import type { NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiMetrics } from './metrics/api.metrics';
import { ApiModule } from './api.module';
import type { ApiAppSettings } from './api-settings';
import { API_KEY_HEADER } from './auth/api-key';
import { ApiKeyStore } from './auth/api-key.store';
import {
  authenticatedJsonBody,
  clientErrorAsJson,
  noBodyOutside,
  PRE_CLEARANCE_BODY_BYTES_MAX,
  securityHeaders,
  urlLengthGuard,
} from './common/http-hardening';

// The dashboard is plain HTML/CSS/JS, copied next to the compiled code by scripts/copy-assets.js.
export const DASHBOARD_DIR = path.join(__dirname, '..', 'public');

// No global body parser: pre-clearance's is mounted by configureApiApp behind the key check, with its own limit.
export const API_APP_OPTIONS: Omit<NestApplicationOptions, 'logger' | 'abortOnError'> = { bodyParser: false };

// Builds the API application without listening, for the tests and the benchmark; main.ts starts the same module
// with the same options and configuration through startHttpService.
export async function createApiApp(settings: ApiAppSettings, logLevel: LogLevel = 'warn'): Promise<NestExpressApplication> {
  const logger = new JsonLogger({ level: logLevel, fields: { app: 'api' } });
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(settings, logger), { ...API_APP_OPTIONS, logger });
  configureApiApp(app);
  return app;
}

// Everything between creating the app and listening: metrics, body parser, Express settings, docs, dashboard.
export function configureApiApp(app: NestExpressApplication): void {
  // First, so that every answer is counted, whoever gives it (the body parser's 400 and 413 included).
  app.use(app.get(ApiMetrics).middleware);
  // Then the guards every request meets before any route (common/http-hardening.ts).
  clientErrorAsJson(app.getHttpServer());
  app.use(securityHeaders);
  app.use(urlLengthGuard);
  app.use(noBodyOutside(['/pre-clearance']));
  app.use('/pre-clearance', ...authenticatedJsonBody(app.get(ApiKeyStore), PRE_CLEARANCE_BODY_BYTES_MAX));
  app.disable('x-powered-by');
  // Responses are small and mostly unique; hashing every body for an ETag costs more than it saves.
  app.set('etag', false);
  app.set('query parser', 'simple');

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('AI-chip export allocation ledger: regulator API')
      .setDescription(
        'Read-only API over the TPP allocation ledger. Every request needs an API key in the `x-api-key` header ' +
          '(the SSE stream also accepts `?key=`). Amounts are integers written digit for digit. Errors are ' +
          '`{"error":{"code","message","details"}}`. Lists are keyset-paginated with `limit` <= 500 and `nextCursor`.',
      )
      .setVersion('1')
      .addApiKey({ type: 'apiKey', name: API_KEY_HEADER, in: 'header' }, 'api-key')
      .build(),
    // The API's own controllers only (health, /metrics and the routes), not the libraries'.
    { include: [ApiModule] },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', customSiteTitle: 'Ledger API docs' });
  // Only the dashboard's own files go through the static handler: letting every API request fall through it would
  // cost a filesystem stat per request.
  const assets = new Set(['/', ...fs.readdirSync(DASHBOARD_DIR).map((f) => `/${f}`)]);
  const serveDashboard = express.static(DASHBOARD_DIR, { index: 'index.html', maxAge: 0, fallthrough: true });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method === 'GET' || request.method === 'HEAD') && assets.has(request.path)) serveDashboard(request, response, next);
    else next();
  });
}
