// The ledger's signature checking, as one injectable: the rules it judges with (SIGNATURES, TRUSTED_KEYS_FILE), the
// verifier threads, and what is verified ahead of judging (SignaturesAhead). The keys registered by another ledger
// instance are read from Postgres every KEYS_REFRESH_INTERVAL_MS, so its verifier threads know them too.
import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConsumedRecord } from '@app/messaging';
import { errorText } from '@app/messaging';
import { JsonLogger } from '@app/observability';
import { decodeEvent, loadAuthenticity, type Authenticity, type PolicyPack } from '@app/policy';
import { SignatureVerifierPool } from './signature-verifier.pool';
import { KEYS_REFRESH_INTERVAL_MS, SignaturesAhead } from './signatures-ahead';
import type { LedgerSettingsValue } from './ledger-settings.provider';

@Injectable()
export class LedgerSignatures implements OnModuleInit, OnApplicationShutdown {
  readonly authenticity: Authenticity;
  private readonly pool = new SignatureVerifierPool();
  private readonly ahead: SignaturesAhead;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    settings: LedgerSettingsValue,
    private readonly pack: PolicyPack,
    private readonly dataSource: DataSource,
    private readonly logger: JsonLogger,
  ) {
    this.authenticity = loadAuthenticity(settings.signatures.enforcement, settings.signatures.trustedKeysFile);
    this.ahead = new SignaturesAhead(this.authenticity, this.pool, (err) => logger.error({ msg: 'signature verifier pool failed; the judge verifies', error: errorText(err) }));
    logger.log({ msg: 'signatures', enforcement: this.authenticity.enforcement, trustAnchors: [...this.authenticity.trustAnchors.keys()], verifierThreads: this.pool.size });
  }

  async onModuleInit(): Promise<void> {
    await this.refreshKeys();
    this.timer = setInterval(() => {
      this.refreshKeys().catch((err) => this.logger.debug({ msg: 'publisher keys refresh failed', error: errorText(err) }));
    }, KEYS_REFRESH_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    await this.pool.close();
  }

  // Decodes the records (with their topic and key) and starts verifying their signatures on the verifier threads.
  prepare(records: ConsumedRecord[]): void {
    for (const r of records) r.prepared = decodeEvent(this.pack, r.value, r);
    this.ahead.start(records);
  }

  // Before a slice is judged: the records not prepared yet are, and every verification started for it has its verdict.
  async ready(records: ConsumedRecord[]): Promise<void> {
    this.prepare(records.filter((r) => r.prepared === undefined));
    await this.ahead.settled(records);
  }

  private async refreshKeys(): Promise<void> {
    const rows = (await this.dataSource.query(`SELECT key_id, public_key FROM publisher_keys`)) as Array<{ key_id: string; public_key: string }>;
    this.ahead.learnKeys(rows.map((r) => ({ keyId: r.key_id, publicKey: r.public_key })));
  }
}
