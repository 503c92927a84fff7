// Flags for the Node.js process that runs the ledger, passed by every launcher (scripts/run.sh, the test and
// benchmark fixtures, docker-compose.yml, k8s/ledger.yaml; test/platform/manifests.spec.ts checks they agree).
// A batch keeps thousands of decoded events alive while Postgres stores it, which the default 16 MiB young
// generation promotes and copies; 32 MiB semi-spaces measured +9% end-to-end (`npm run bench`, 16.5k vs 15.1k
// events/s, three runs each).
// One thread collects garbage (--single-threaded-gc): on two cores shared with Postgres and Kafka, V8's parallel
// scavenger helpers took CPU from them; 14,645 vs 13,695 events/s on average, six alternating pairs, six won.
export const LEDGER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--single-threaded-gc'];
