import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { kafkaClientConfig } from '@app/config';
import { AlertRelay, errorText } from '@app/messaging';
import { JsonLogger } from '@app/observability';
import { AlertNotifications, AlertOutboxRepository, CheckpointOutboxRepository } from '@app/persistence';
import { RelayMetrics } from './relay.metrics';
import { RELAY_SETTINGS, type RelaySettingsValue } from './relay-settings.provider';

// Re-LISTEN after the notification connection dropped; polling covers the gap meanwhile.
const LISTEN_RETRY_DELAY_MS = 2_000;
// How often the outbox backlog is counted for /metrics.
const BACKLOG_REFRESH_INTERVAL_MS = 5_000;

@Injectable()
export class AlertRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly relay: AlertRelay;
  private readonly notifications: AlertNotifications;
  private readonly outbox: AlertOutboxRepository;
  private backlogTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  running = false;

  constructor(
    @Inject(RELAY_SETTINGS) private readonly settings: RelaySettingsValue,
    dataSource: DataSource,
    private readonly logger: JsonLogger,
    private readonly metrics: RelayMetrics,
  ) {
    this.outbox = new AlertOutboxRepository(dataSource);
    this.notifications = new AlertNotifications(settings.database.url, settings.database.ssl);
    this.relay = new AlertRelay({
      kafka: new Kafka(kafkaClientConfig(settings)),
      source: this.outbox,
      checkpoints: new CheckpointOutboxRepository(dataSource),
      batchSizeMax: settings.batchSizeMax,
      pollIntervalMs: settings.pollIntervalMs,
      errorDelayMsMin: 100,
      errorDelayMsMax: 10_000,
      logger,
      metrics,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
    await this.relay.start();
    this.running = true;
    this.refreshBacklog();
    this.backlogTimer = setInterval(() => this.refreshBacklog(), BACKLOG_REFRESH_INTERVAL_MS);
    this.backlogTimer.unref();
    this.logger.log({ msg: 'relaying alerts', pollIntervalMs: this.settings.pollIntervalMs, batchSizeMax: this.settings.batchSizeMax });
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.stopping = true;
    this.running = false;
    if (this.backlogTimer) clearInterval(this.backlogTimer);
    this.logger.log({ msg: 'stopping', signal });
    await this.relay.stop();
    await this.notifications.stop();
  }

  private refreshBacklog(): void {
    this.outbox.unpublishedCount().then(
      (alerts) => this.metrics.onBacklog(alerts),
      (err: unknown) => this.logger.debug({ msg: 'counting the outbox backlog failed', error: errorText(err) }),
    );
  }

  private async listen(): Promise<void> {
    try {
      await this.notifications.start(
        () => {
          this.metrics.onNotification();
          this.relay.notify();
        },
        (err) => {
          this.logger.warn({ msg: 'the LISTEN connection failed; polling until it is back', error: errorText(err) });
          void this.notifications.stop().then(() => this.relisten());
        },
      );
    } catch (err) {
      this.logger.warn({ msg: 'LISTEN failed; polling until it works', error: errorText(err) });
      this.relisten();
    }
  }

  private relisten(): void {
    if (this.stopping) return;
    setTimeout(() => void this.listen(), LISTEN_RETRY_DELAY_MS).unref();
  }
}
