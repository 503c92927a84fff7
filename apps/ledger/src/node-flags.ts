// Flags for the Node.js process that runs the ledger, passed by every launcher (scripts/run.sh, the test and
// benchmark fixtures, docker-compose.yml, k8s/ledger.yaml; test/platform/manifests.spec.ts checks they agree).
// A batch keeps thousands of decoded events alive while Postgres stores it, which the default 16 MiB young
// generation promotes and copies; 32 MiB semi-spaces measured +9% end-to-end (`npm run bench`, 16.5k vs 15.1k
// events/s, three runs each).
export const LEDGER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
