import { parseAccountId } from '@app/policy';

// The accounts table keeps an id's kind, country and VEU id as columns, so that the API can filter and the
// writer can load every account of a VEU with one indexed lookup.
export interface AccountColumns {
  kind: string;
  country: string | null;
  veuId: string | null;
}

export function accountColumns(id: string): AccountColumns {
  const parsed = parseAccountId(id);
  // A pack may define accounts this version cannot name; they are still stored and summed.
  if (parsed === null) return { kind: id.split(':')[0] ?? id, country: null, veuId: null };
  return { kind: parsed.kind, country: parsed.country, veuId: parsed.veuId };
}
