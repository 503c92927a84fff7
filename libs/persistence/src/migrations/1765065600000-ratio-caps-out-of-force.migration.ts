import type { MigrationInterface, QueryRunner } from 'typeorm';

// A UVEU ratio cap is in force only while its VEU is granted as a UVEU, and the outside-US share only for a
// US-headquartered one (accountView). Earlier versions kept showing a revoked UVEU's ratio caps, recomputed from
// its later installed base, beside the balances frozen at the revocation. This clears those caps on the rows
// written before; the writer keeps them right from now on, and `ledger rejudge` compares them.
export class RatioCapsOutOfForce1765065600000 implements MigrationInterface {
  name = 'RatioCapsOutOfForce1765065600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE accounts a SET cap_tpp = NULL, utilization = NULL, updated_at = now()
       WHERE a.kind IN ('uveu-outside-tier1', 'uveu-country', 'uveu-outside-us')
         AND a.cap_tpp IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM veu_grants g
                          WHERE g.id = a.veu_id AND g.active AND g.kind = 'UVEU'
                            AND (a.kind <> 'uveu-outside-us' OR g.headquarters = 'US'))`);
  }

  // The caps cleared were not in force; the earlier code puts a cap back on the row at the UVEU's next deployment.
  async down(): Promise<void> {}
}
