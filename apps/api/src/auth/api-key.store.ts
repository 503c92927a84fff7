import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database';
import { hashApiKey } from './api-key';
import { Principal, ROLES, Role } from './principal';

interface CachedPrincipal {
  principal: Principal | null;
  expiresAtMs: number;
}

// Looks keys up by hash, with a short cache so a busy client does not cost a database round trip per request.
// A revoked key therefore stops working within cacheTtlMs.
@Injectable()
export class ApiKeyStore {
  private readonly cache = new Map<string, CachedPrincipal>();
  private readonly cacheTtlMs = 10_000;
  private readonly cacheEntriesMax = 10_000;

  constructor(private readonly db: ReadDatabase) {}

  async find(key: string): Promise<Principal | null> {
    const hash = hashApiKey(key);
    const nowMs = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAtMs > nowMs) return cached.principal;

    const rows = await this.db.query<{ id: string; role: string; org: string | null }>(
      'SELECT id, role, org FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
      [hash],
    );
    const row = rows[0];
    const principal =
      row && (ROLES as readonly string[]).includes(row.role) ? { keyId: row.id, role: row.role as Role, org: row.org } : null;
    if (this.cache.size >= this.cacheEntriesMax) this.cache.clear();
    this.cache.set(hash, { principal, expiresAtMs: nowMs + this.cacheTtlMs });
    return principal;
  }

  // Of these key ids, the ones still valid (present and not revoked), read from the table, not the cache; the
  // cached principals of the others are dropped so that their next request is refused too.
  async stillValid(keyIds: readonly string[]): Promise<Set<string>> {
    if (keyIds.length === 0) return new Set();
    const rows = await this.db.query<{ id: string }>('SELECT id FROM api_keys WHERE id = ANY($1) AND revoked_at IS NULL', [keyIds]);
    const valid = new Set(rows.map((r) => r.id));
    for (const [hash, cached] of this.cache) {
      if (cached.principal && keyIds.includes(cached.principal.keyId) && !valid.has(cached.principal.keyId)) this.cache.delete(hash);
    }
    return valid;
  }
}
