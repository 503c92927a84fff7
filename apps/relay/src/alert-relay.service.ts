import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { kafkaClientConfig } from '@app/config';
import { AlertRelay, errorText, JsonLogger } from '@app/messaging';
import { AlertNotifications, AlertOutboxRepository } from '@app/persistence';
import { RelayMetrics } from './relay.metrics';
import { RELAY_SETTINGS, type RelaySettingsValue } from './relay-settings.provider';

// Re-LISTEN after the notification connection dropped; polling covers the gap meanwhile.
const LISTEN_RETRY_DELAY_MS = 2_000;

@Injectable()
export class AlertRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: JsonLogger;
  private readonly relay: AlertRelay;
  private readonly notifications: AlertNotifications;
  private readonly outbox: AlertOutboxRepository;
  private stopping = false;
  running = false;

  constructor(
    @Inject(RELAY_SETTINGS) private readonly settings: RelaySettingsValue,
    dataSource: DataSource,
    private readonly metrics: RelayMetrics,
  ) {
    this.logger = new JsonLogger('relay', settings.logLevel);
    this.outbox = new AlertOutboxRepository(dataSource);
    this.notifications = new AlertNotifications(settings.database.url, settings.database.ssl);
    this.relay = new AlertRelay({
      kafka: new Kafka(kafkaClientConfig(settings)),
      source: this.outbox,
      batchSizeMax: settings.batchSizeMax,
      pollIntervalMs: settings.pollIntervalMs,
      errorDelayMsMin: 100,
      errorDelayMsMax: 10_000,
      logger: this.logger,
      metrics,
    });
  }

  async backlog(): Promise<number> {
    this.metrics.backlog = await this.outbox.unpublishedCount();
    return this.metrics.backlog;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
    await this.relay.start();
    this.running = true;
    this.logger.info('relaying alerts', { pollIntervalMs: this.settings.pollIntervalMs, batchSizeMax: this.settings.batchSizeMax });
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.stopping = true;
    this.running = false;
    this.logger.info('stopping', { signal });
    await this.relay.stop();
    await this.notifications.stop();
  }

  private async listen(): Promise<void> {
    try {
      await this.notifications.start(
        () => {
          this.metrics.notifications++;
          this.relay.notify();
        },
        (err) => {
          this.logger.warn('the LISTEN connection failed; polling until it is back', { error: errorText(err) });
          void this.notifications.stop().then(() => this.relisten());
        },
      );
    } catch (err) {
      this.logger.warn('LISTEN failed; polling until it works', { error: errorText(err) });
      this.relisten();
    }
  }

  private relisten(): void {
    if (this.stopping) return;
    setTimeout(() => void this.listen(), LISTEN_RETRY_DELAY_MS).unref();
  }
}
