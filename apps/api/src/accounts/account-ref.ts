import { parseAccountId } from '@app/policy';
import type { AccountRef } from '../auth/principal';
import { ApiError } from '../common/api-error';

const ACCOUNT_ID_PATTERN = /^[a-z0-9-]{1,32}(:[A-Za-z0-9._-]{1,128}){1,3}$/;

// Access is decided from the account id alone (its kind and VEU), before any lookup, so that a 403 never
// depends on whether the account exists and a caller cannot probe for other organisations' accounts.
export function accountRefOf(accountId: string): AccountRef {
  if (!ACCOUNT_ID_PATTERN.test(accountId)) {
    throw ApiError.invalid([{ field: 'accountId', message: 'is not an account id (e.g. country:AE, nveu:g42, uveu:aws:outside-tier1)' }]);
  }
  const parsed = parseAccountId(accountId);
  return { id: accountId, kind: parsed?.kind ?? accountId.split(':')[0]!, veuId: parsed?.veuId ?? null };
}
