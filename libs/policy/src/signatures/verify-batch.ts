// One batch of Ed25519 verifications, as the worker threads of the ledger's verifier pool run it (and as a caller
// without a pool could): texts signed as UTF-8, signatures and public keys in base64url.
import { verifyEd25519 } from './ed25519';

export interface VerifyBatch {
  texts: string[];
  signatures: string[];
  publicKeys: string[];
}

// 1 = verifies, 0 = does not.
export function verifyBatch(batch: VerifyBatch): Uint8Array {
  const out = new Uint8Array(batch.texts.length);
  for (let i = 0; i < out.length; i++) out[i] = verifyEd25519(batch.texts[i]!, batch.signatures[i]!, batch.publicKeys[i]!) ? 1 : 0;
  return out;
}
