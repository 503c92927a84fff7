// "Verify" on a ledger entry: fetches its inclusion proof and checks it in this browser (proof-verify.js), then
// says what held. The ledger key comes from the API (GET /checkpoints/key), which is a convenience: the key is shown
// next to the verdict so that a regulator can compare it with the key the ledger published to them out of band.
import { api, esc, fmtInt } from './dashboard-core.js';
import { verifyInclusionDocument } from './proof-verify.js';

let keyRequest = null;

// The API's ledger key (base64url raw), or null when the API is not configured with one. Asked once per page.
function ledgerKey() {
  if (keyRequest === null) {
    keyRequest = api('checkpoints/key').then(
      (body) => body.publicKey,
      (e) => {
        keyRequest = null;
        if (e.status === 404) return null;
        throw e;
      },
    );
  }
  return keyRequest;
}

export function verifyButton(seq) {
  return `<button type="button" class="verify-button" data-testid="verify-entry" data-seq="${esc(seq)}">verify</button>`;
}

// One click handler for the table's buttons (the rows are re-rendered on refresh).
export function attachVerify(tbody) {
  if (tbody.dataset.verifyAttached) return;
  tbody.dataset.verifyAttached = '1';
  tbody.addEventListener('click', (ev) => {
    const button = ev.target.closest('button[data-testid="verify-entry"]');
    if (button) verifyEntry(button).catch(() => undefined);
  });
}

async function verifyEntry(button) {
  const row = button.closest('tr');
  const seq = button.dataset.seq;
  const out = resultRow(row, seq);
  button.disabled = true;
  out.innerHTML = '<span class="chip">checking…</span>';
  try {
    const [doc, key] = await Promise.all([api('proof/entries/' + encodeURIComponent(seq) + '/inclusion'), ledgerKey()]);
    out.innerHTML = verdictHtml(seq, await verifyInclusionDocument(doc, key), key);
  } catch (e) {
    const why = e.status === 404 ? e.message + '. Try again once the next checkpoint is signed.' : e.message;
    out.innerHTML = `<span class="chip crossed">not checked</span> ${esc(why)}`;
  } finally {
    button.disabled = false;
  }
}

function resultRow(row, seq) {
  let next = row.nextElementSibling;
  if (!next || !next.classList.contains('proof-row')) {
    next = document.createElement('tr');
    next.className = 'proof-row';
    next.innerHTML = `<td colspan="${row.children.length}" data-testid="proof-result" data-seq="${esc(seq)}"></td>`;
    row.after(next);
  }
  return next.firstElementChild;
}

function keyHtml(key, keyId) {
  if (key === null) return '';
  return (
    ` <span class="sub">Ledger key ${esc(keyId)}: <code class="mono" data-testid="ledger-key">${esc(key)}</code>, as this API serves it; ` +
    'compare it with the key the ledger published to you.</span>'
  );
}

function verdictHtml(seq, v, key) {
  if (!v.ok) return `<span class="chip crossed" data-testid="proof-verdict">not verified</span> ${esc(v.reason)}`;
  const size = esc(fmtInt(v.treeSize));
  if (v.signature === 'checked') {
    return (
      `<span class="chip verified" data-testid="proof-verdict">verified in your browser</span> ` +
      `entry ${esc(seq)} is in the ledger of signed checkpoint ${size} (Ed25519 signature, entry hash and RFC 9162 path).` +
      keyHtml(key, v.keyId)
    );
  }
  return (
    `<span class="chip rearmed" data-testid="proof-verdict">signature not checked: ${esc(v.why)}</span> ` +
    `entry ${esc(seq)}'s hash and its path to the root of checkpoint ${size} hold in your browser; ` +
    'check the signature with `ledger verify-proof`.' +
    keyHtml(key, v.keyId)
  );
}
