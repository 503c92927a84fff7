import type { InputEventV1 } from '@app/contracts';
import { accountIds } from '../accounts';
import { packAt, type PolicyPack } from '../policy-pack';
import { hasProductCaps, productAccountsOf } from '../timeline/product-cap';
import { withLicenceRequirements } from '../licences/licence-requirements';

// What a batch must load from the database before judging `event` (see LedgerReadState).
export interface Requirements {
  accounts: string[];
  veuIds: string[];
  dataCenters: Array<{ veuId: string; dataCenterId: string; country: string }>;
  // Licences to load by id; with each licence found, the loader also loads its country:CC:licensed account (a
  // revocation names only the licence id, and moves that account).
  licenceIds?: string[];
}

// atMs: the event's instant as decodeEvent read it (the judge dates the LPP year by the same value).
export function requirementsOf(policy: PolicyPack, event: InputEventV1, atMs: number = Date.parse(event.occurredAt)): Requirements {
  return withLicenceRequirements(event, requirementsWithoutLicences(policy, event, atMs));
}

function requirementsWithoutLicences(policy: PolicyPack, event: InputEventV1, atMs: number): Requirements {
  const pack = packAt(policy, atMs);
  switch (event.type) {
    case 'chip.shipment': {
      const cc = event.consignee.country;
      const year = new Date(atMs).getUTCFullYear();
      const accounts = [accountIds.country(cc), accountIds.lpp(event.consignee.id, year)];
      if (hasProductCaps(pack)) accounts.push(...productAccountsOf(pack, event));
      const ref = event.authorization.ref;
      const veuIds: string[] = [];
      if (event.authorization.kind === 'NVEU' && ref !== undefined) {
        accounts.push(accountIds.nveu(ref));
        veuIds.push(ref);
      }
      if (event.authorization.kind === 'UVEU' && ref !== undefined) {
        accounts.push(accountIds.uveuShipped(ref));
        veuIds.push(ref);
      }
      return { accounts, veuIds, dataCenters: [] };
    }
    case 'dc.deployment':
      return {
        accounts: [accountIds.installed(event.veu.id, event.dataCenter.country)],
        veuIds: [event.veu.id],
        dataCenters: [{ veuId: event.veu.id, dataCenterId: event.dataCenter.id, country: event.dataCenter.country }],
      };
    case 'policy.g2g-arrangement':
      // The arrangement moves nothing, but it changes the cap that the country account shows from now on.
      return { accounts: [accountIds.country(event.country)], veuIds: [], dataCenters: [] };
    case 'policy.veu-granted':
    case 'policy.veu-revoked':
      // A grant or revocation moves nothing, but it puts the VEU's ratio caps in force or out of it.
      return { accounts: [], veuIds: [event.veu.id], dataCenters: [] };
    default:
      return { accounts: [], veuIds: [], dataCenters: [] };
  }
}
