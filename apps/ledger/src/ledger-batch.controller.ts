import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { BatchResult } from '@app/contracts';
import { RethrowRpcErrors, type ConsumedBatch } from '@app/messaging';
import { LedgerWriter } from '@app/persistence';
import { LedgerSignatures } from './ledger-signatures';

// The pattern the ledger's transport (BatchConsumerServer over the input topics) sends each consumed slice to.
export const LEDGER_INPUT_BATCH = 'ledger.input-batch';

// The ledger's one message handler: judges a slice of input records and stores it in one transaction.
@Controller()
@UseFilters(new RethrowRpcErrors())
export class LedgerBatchController {
  constructor(
    private readonly writer: LedgerWriter,
    private readonly signatures: LedgerSignatures,
  ) {}

  // The slice's signature verdicts first (verified ahead on the verifier threads), then the judgement, in order.
  @MessagePattern(LEDGER_INPUT_BATCH)
  async store(@Payload() batch: ConsumedBatch): Promise<BatchResult> {
    await this.signatures.ready(batch.records);
    return this.writer.processBatch(batch.records, { beforeCommit: batch.beforeCommit, waitingForDatabase: batch.waitingForDatabase });
  }
}
