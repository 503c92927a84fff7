// Flags for the Node.js processes that run the ledger and the CLI: settings of the process rather than of the app,
// which every launcher must pass on the command line (Node reads them before any code runs).
//
// The ledger's are passed by every launcher (scripts/run.sh, libs/testing's startService, docker-compose.yml,
// k8s/ledger.yaml; test/platform/manifests.spec.ts checks they agree).
// A batch keeps thousands of decoded events alive while Postgres stores it, which the default 16 MiB young
// generation promotes and copies; 32 MiB semi-spaces measured +9% end-to-end (`npm run bench`, 16.5k vs 15.1k
// events/s, three runs each).
// One thread collects garbage (--single-threaded-gc): on two cores shared with Postgres and Kafka, V8's parallel
// scavenger helpers took CPU from them; 14,645 vs 13,695 events/s on average, six alternating pairs, six won.
export const LEDGER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--single-threaded-gc'];

// The CLI's: package.json's `ledger` script, and the replay benchmark's child (the manifests spec checks both).
// The replay allocates a few short-lived objects per event (the parsed JSON, the outcome); with the default 16 MiB
// young generation the scavenger ran 14% of the time over 1,000,000 events. 32 MiB semi-spaces: +18% events/s on
// average over four alternating pairs of the same build (bench:replay; figures in the README), at 10-30 MiB more RSS.
export const CLI_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
