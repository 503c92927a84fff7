// Flags for the Node.js process of `npm run -s ledger -- ...` (package.json's `ledger` script; the replay benchmark
// runs its child with them too, and test/platform/manifests.spec.ts checks the two agree).
// The replay allocates a few short-lived objects per event (the parsed JSON, the outcome); with the default 16 MiB
// young generation the scavenger ran 14% of the time over 1,000,000 events. 32 MiB semi-spaces: +18% events/s on
// average over four alternating pairs of the same build (bench:replay; figures in the README), at 10-30 MiB more RSS.
export const CLI_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
