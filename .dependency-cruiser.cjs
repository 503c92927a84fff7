// The import rules of the monorepo (docs/architecture arrows, /STYLE): checked by `npm run -s check:imports`, which
// the test command runs before the specs. The arrows point one way:
//   apps -> libs, never app -> app;
//   libs, lowest first: contracts and config (nothing of ours) <- policy and transparency (contracts only; no
//   framework) <- persistence (policy, transparency, contracts) and messaging (policy, contracts) ;
//   observability (config, contracts) ; testing (any lib, for specs
//   and benchmarks; of the apps only the CLI's `generate` uses its feed generator);
//   bench/ imports libs only (no app, no test/).
// Each lib's line below is the set of libs it may import: an arrow from a lower lib to a higher one is one not listed.
'use strict';

const LIB_MAY_IMPORT = {
  contracts: [],
  config: [],
  policy: ['contracts'],
  transparency: ['contracts'],
  persistence: ['contracts', 'policy', 'transparency'],
  messaging: ['contracts', 'policy'],
  observability: ['config', 'contracts'],
  testing: ['config', 'contracts', 'policy', 'transparency', 'persistence', 'messaging', 'observability'],
};

// What "a framework" is for libs/policy, which must stay pure TypeScript over plain data.
const FRAMEWORKS = ['@nestjs', 'typeorm', 'kafkajs', 'pg', 'pg-copy-streams', 'express', 'rxjs', 'reflect-metadata'];

const layerRules = Object.entries(LIB_MAY_IMPORT).map(([lib, allowed]) => ({
  name: `lib-layers-${lib}`,
  comment: `libs/${lib} may import ${allowed.length === 0 ? 'no other lib' : `only ${allowed.join(', ')}`} (the arrows point from higher libs to lower ones)`,
  severity: 'error',
  from: { path: `^libs/${lib}/` },
  to: { path: `^libs/(?!(?:${[lib, ...allowed].join('|')})/)` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-app-to-app',
      comment: 'apps never import each other; what they share lives in a lib',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-lib-to-app',
      comment: 'libs never import an app (apps -> libs, one way)',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'transparency-is-pure',
      comment: 'libs/transparency (the Merkle tree, proofs, checkpoints) imports no framework: a verifier needs no database or broker',
      severity: 'error',
      from: { path: '^libs/transparency/' },
      to: { path: `(?:^|/)node_modules/(?:${FRAMEWORKS.join('|')})/` },
    },
    {
      name: 'policy-is-pure',
      comment: 'libs/policy imports no framework (no Nest, TypeORM, kafkajs, pg): the services, the replay and the API run it alike',
      severity: 'error',
      from: { path: '^libs/policy/' },
      to: { path: `(?:^|/)node_modules/(?:${FRAMEWORKS.join('|')})/` },
    },
    ...layerRules,
    {
      name: 'testing-only-in-specs-and-benchmarks',
      comment: 'services never load libs/testing; the CLI uses only its feed generator (`ledger generate`)',
      severity: 'error',
      from: { path: '^apps/[^/]+/src/' },
      to: { path: '^libs/testing/', pathNot: '^libs/testing/src/feed-generator\\.ts$' },
    },
    {
      name: 'no-testing-feed-outside-cli',
      comment: 'of the apps, only the CLI generates feeds',
      severity: 'error',
      from: { path: '^apps/(?!cli/)[^/]+/src/' },
      to: { path: '^libs/testing/' },
    },
    {
      name: 'bench-imports-libs-only',
      comment: 'benchmarks use the libs (and run the apps as processes); never an app\'s internals or test/',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^(?:apps|test)/' },
    },
    {
      name: 'no-production-to-tests',
      comment: 'nothing outside test/ imports test/; nothing imports bench/ but bench/',
      severity: 'error',
      from: { path: '^(?:apps|libs)/[^/]+/src/' },
      to: { path: '^(?:test|bench)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to nothing would hide an arrow from these rules',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    // Type-only imports are arrows too (`import type` from a framework still ties policy to it).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.d.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
