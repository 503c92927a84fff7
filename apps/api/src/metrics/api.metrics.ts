import { Injectable } from '@nestjs/common';
import { MetricsRegistry, type Counter, type Gauge, type Histogram } from '@app/observability';
import type { NextFunction, Request, Response } from 'express';

type RequestLabel = 'method' | 'route' | 'status_class';

const REQUEST_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

// Labelled by the route template (`/accounts/:accountId`), never by the URL a client sent: account ids, cursors
// and query strings would make one series per request and exhaust Prometheus.
function routeOf(request: Request, response: Response): string {
  const path: unknown = (request.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return `${request.baseUrl}${path}`;
  // No controller route: a path nothing serves, the dashboard's files and the docs' assets, or a request refused
  // before routing (a body that is not JSON or too large).
  if (response.statusCode === 404) return '(not found)';
  return response.statusCode < 400 ? '(static)' : '(before routing)';
}

// The API's figures in the process registry (served at /metrics): requests and their latency by route template
// and status class, and the number of open alert streams.
@Injectable()
export class ApiMetrics {
  private readonly requests: Counter<RequestLabel>;
  private readonly requestSeconds: Histogram<RequestLabel>;
  private readonly streamSubscribers: Gauge;

  constructor(private readonly registry: MetricsRegistry) {
    this.requests = registry.counter({
      name: 'api_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status class.',
      labelNames: ['method', 'route', 'status_class'],
    });
    this.requestSeconds = registry.histogram({
      name: 'api_http_request_duration_seconds',
      help: 'Time from receiving a request to the end of its response, by method, route template and status class (alert streams excluded).',
      labelNames: ['method', 'route', 'status_class'],
      buckets: REQUEST_SECONDS_BUCKETS,
    });
    this.streamSubscribers = registry.gauge({ name: 'api_alert_stream_subscribers', help: 'Open /alerts/stream connections.' });
  }

  // Express middleware mounted before everything else, so that every answer is counted: the dashboard's files, the
  // key guard's 401s and the 404s of unknown paths included.
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      const labels = {
        method: request.method,
        route: routeOf(request, response),
        status_class: `${Math.floor(response.statusCode / 100)}xx`,
      };
      this.requests.inc(labels);
      // A stream stays open as long as its client does: its duration is not a request's latency.
      if (!String(response.getHeader('content-type') ?? '').startsWith('text/event-stream')) {
        this.requestSeconds.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      }
    };
    // 'finish' when the response was sent, 'close' alone when the client went away first.
    response.once('finish', record);
    response.once('close', record);
    next();
  };

  // Read at every scrape, so the figure cannot drift from the feed's own count.
  countStreamSubscribers(count: () => number): void {
    this.registry.onCollect(() => this.streamSubscribers.set(count()));
  }
}
