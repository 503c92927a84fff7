// Who may read licences: a regulator every licence; a chipmaker only those issued to it (its publisher name is the
// licence's exporter); a cloud provider none. A licence another chipmaker holds is answered as not found, so that a
// key cannot learn which licence numbers exist. Pure, like the rest of the access rules (auth/principal.ts).
import type { Principal } from '../auth/principal';

// null: may not read licences at all; { exporter: null }: every licence; otherwise only that exporter's.
export type LicenceScope = { exporter: string | null } | null;

export function licenceScope(p: Principal): LicenceScope {
  switch (p.role) {
    case 'regulator':
      return { exporter: null };
    case 'chipmaker':
      return p.org === null ? null : { exporter: p.org };
    case 'cloud-provider':
      return null;
  }
}

export function canSeeLicence(p: Principal, exporter: string): boolean {
  const scope = licenceScope(p);
  return scope !== null && (scope.exporter === null || scope.exporter === exporter);
}
