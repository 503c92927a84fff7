// Thrown once at boot with every bad setting, so that an operator fixes them in one go instead of one per restart.
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`invalid settings: ${problems.join('; ')}`);
  }
}
