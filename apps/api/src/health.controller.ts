import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from './auth/api-key.guard';
import { ApiError } from './common/api-error';
import { ReadDatabase } from './database/read-database';

// Liveness and readiness for orchestrators; no key needed and nothing about the ledger is revealed.
@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly db: ReadDatabase) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready() {
    try {
      await this.db.query('SELECT 1 FROM ledger_head WHERE id = 1');
    } catch {
      // 503, like the ledger and the relay: not ready, as opposed to broken.
      throw new ApiError('UNAVAILABLE', 'the database is not reachable or not migrated', { postgres: 'down' });
    }
    return { status: 'ok' };
  }
}
