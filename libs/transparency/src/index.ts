export * from './merkle-tree';
export * from './merkle-proofs';
export * from './merkle-verify';
export * from './checkpoint';
