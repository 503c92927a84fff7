import type { DeploymentV1 } from '@app/contracts';
import { accountIds } from '../accounts';
import type { LedgerReadState } from '../ledger-state';
import type { PolicyPack } from '../policy-pack';
import { move, prohibited } from './movements';
import type { Draft, Outcome } from './outcome';
import { raise, type AlertContext } from './thresholds';
import { controlledTpp } from './tpp';
import { evaluateUveuRatios } from './uveu-ratios';

// A deployment moves the VEU's installed base in one data center and country; a UVEU's ratio accounts follow.
// Returns the rejection when it would take the installed base below 0, null otherwise.
export function judgeDeployment(
  pack: PolicyPack,
  state: LedgerReadState,
  event: DeploymentV1,
  atMs: number,
  ctx: AlertContext,
  draft: Draft,
): Outcome | null {
  const veuId = event.veu.id;
  const dc = event.dataCenter;
  const { tpp } = controlledTpp(pack, event.items);
  const installedBefore = state.installed(veuId, dc.id, dc.country);
  const delta = event.action === 'INSTALL' ? tpp : -tpp;
  if (installedBefore + delta < 0n) {
    return {
      status: 'rejected',
      code: 'NEGATIVE_INSTALLED_BASE',
      message: `removing ${tpp} TPP would take data center ${dc.id} of ${veuId} in ${dc.country} below 0 (installed ${installedBefore})`,
      publisher: event.publisher,
      eventId: event.eventId,
    };
  }

  const account = accountIds.installed(veuId, dc.country);
  const usedAfter = (state.account(account)?.usedTpp ?? 0n) + delta;
  const grant = state.veu(veuId);
  // Alerts concern chips going in; a REMOVE only ever reduces what is there.
  if (event.action === 'INSTALL' && tpp > 0n) {
    if (prohibited(pack, dc.country, atMs, event.items, 'deployment')) {
      raise(ctx, 'PROHIBITED_DESTINATION', account, usedAfter, null, null, `${veuId} installed controlled chips in prohibited destination ${dc.country}`);
    } else if (pack.schemes.nveu || pack.schemes.uveu) {
      // Without a VEU scheme in the pack, a deployment is judged for its destination only.
      let unauthorized: string | null = null;
      if (grant === undefined || !grant.active) unauthorized = `${event.veu.kind} "${veuId}" is not granted`;
      else if (grant.kind !== event.veu.kind) unauthorized = `"${veuId}" is a ${grant.kind}, not a ${event.veu.kind}`;
      else if (grant.kind === 'NVEU' && grant.country !== dc.country) {
        unauthorized = `NVEU "${veuId}" is authorized in ${grant.country}, not ${dc.country}`;
      }
      if (unauthorized !== null) raise(ctx, 'UNAUTHORIZED', account, usedAfter, null, null, unauthorized);
    }
  }
  move(ctx, state, draft, account, delta, null);
  draft.effects.push({ kind: 'installed-set', veuId, dataCenterId: dc.id, country: dc.country, installedTpp: installedBefore + delta });

  if (grant !== undefined && grant.active && grant.kind === 'UVEU' && pack.schemes.uveu) {
    evaluateUveuRatios(pack, state, ctx, draft, grant.id, grant.headquarters, dc.country, delta, atMs);
  }
  return null;
}
