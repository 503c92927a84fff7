// A worker thread of the signature verifier pool: verifies the batches it is sent and answers with their verdicts.
import { parentPort } from 'node:worker_threads';
import { verifyBatch, type VerifyBatch } from '@app/policy/signatures/verify-batch';

parentPort!.on('message', (message: { id: number; batch: VerifyBatch }) => {
  const verdicts = verifyBatch(message.batch);
  parentPort!.postMessage({ id: message.id, verdicts }, [verdicts.buffer as ArrayBuffer]);
});
