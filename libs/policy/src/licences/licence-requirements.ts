// What judging an event needs to load about licences (see requirementsOf in judge.ts).
import type { InputEventV1 } from '@app/contracts';
import { accountIds } from '../accounts';
import type { Requirements } from '../judging/requirements';

export function withLicenceRequirements(event: InputEventV1, need: Requirements): Requirements {
  switch (event.type) {
    case 'chip.shipment': {
      const ref = event.authorization.ref;
      if (event.authorization.kind !== 'LICENSE' || ref === undefined) return need;
      return { ...need, accounts: [...need.accounts, accountIds.licence(ref)], licenceIds: [ref] };
    }
    case 'policy.license-issued':
      return { ...need, accounts: [...need.accounts, accountIds.countryLicensed(event.license.consignee.country)], licenceIds: [event.license.id] };
    case 'policy.license-revoked':
      return { ...need, accounts: [...need.accounts, accountIds.licence(event.license.id)], licenceIds: [event.license.id] };
    case 'policy.g2g-arrangement':
      // The arrangement doubles the cap of country:CC:licensed too.
      return { ...need, accounts: [...need.accounts, accountIds.countryLicensed(event.country)] };
    default:
      return need;
  }
}
