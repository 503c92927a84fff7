export * from './authenticity';
export * from './ed25519';
export * from './trust-anchors';
export * from './sign-event';
export * from './verify-batch';
