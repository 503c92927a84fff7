// Who is calling. What each role may read is decided in one place, auth/access-policy.ts.
export const ROLES = ['regulator', 'chipmaker', 'cloud-provider'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  keyId: string;
  role: Role;
  // The organisation the key belongs to: a chipmaker's publisher name, or a cloud provider's VEU id (which is
  // also the publisher name it sends deployments under). null for regulators.
  org: string | null;
}

export const VEU_ACCOUNT_KINDS = [
  'nveu',
  'uveu-shipped',
  'installed',
  'uveu-outside-tier1',
  'uveu-country',
  'uveu-outside-us',
] as const;

// license:ID and country:CC:licensed (docs/licences.md): listed for regulators; a chipmaker reads its licences at /licences.
export const ACCOUNT_KINDS = ['country', 'lpp', ...VEU_ACCOUNT_KINDS, 'license', 'country-licensed'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export interface AccountRef {
  id: string;
  kind: string;
  veuId: string | null;
}
