// A pack, catalogue or timeline document that cannot be used, with every problem found (each naming its path).
export class PolicyPackError extends Error {
  constructor(readonly packId: string, readonly problems: string[]) {
    super(`policy pack "${packId}" is invalid: ${problems.join('; ')}`);
    this.name = 'PolicyPackError';
  }
}
