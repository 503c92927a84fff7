import type { DataSource } from 'typeorm';
import { loadCliSettings, settingsOrExit } from '@app/config';
import { createDataSource } from '@app/persistence';

// Runs `work` with an initialized data source of DATABASE_URL and always closes it, so a command exits on its own.
export async function withDatabase<T>(work: (ds: DataSource) => Promise<T>): Promise<T> {
  const settings = settingsOrExit(() => loadCliSettings());
  const ds = createDataSource(settings.database.url, { ssl: settings.database.ssl, poolSizeMax: 2, applicationName: 'ledger-cli' });
  await ds.initialize();
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}
