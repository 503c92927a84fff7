export * from './ledger-state';
export * from './rational';
export * from './policy-pack';
export * from './accounts';
export * from './memory-ledger-state';
export * from './decode-event';
export * from './judge';
export * from './replay';
