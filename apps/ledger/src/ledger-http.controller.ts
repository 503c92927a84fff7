import { Controller, Get, Header, HttpException, HttpStatus } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LedgerConsumerService } from './ledger-consumer.service';
import { LedgerMetrics } from './ledger.metrics';

@Controller()
export class LedgerHttpController {
  constructor(
    private readonly consumer: LedgerConsumerService,
    private readonly dataSource: DataSource,
    private readonly metrics: LedgerMetrics,
  ) {}

  @Get('health')
  async health(): Promise<{ status: 'ok'; lag: string }> {
    const database = await this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
    if (!database || !this.consumer.running) {
      throw new HttpException({ status: 'unavailable', database, consuming: this.consumer.running }, HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: 'ok', lag: this.metrics.totalLag().toString() };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  prometheus(): string {
    return this.metrics.render();
  }
}
