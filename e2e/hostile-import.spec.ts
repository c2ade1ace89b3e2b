import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { view } from './helpers/app';

// Importing a session file that carries its own trigger and view, from the
// Sessions view: refused with the reason on screen, no session added, the
// live database file byte-for-byte unchanged.

const dir = mkdtempSync(join(tmpdir(), 'mlab-e2e-hostile-import-'));
const dbPath = join(dir, 'lab.db');
test.use({ labOptions: { dbPath } });

const hashLive = () =>
  [dbPath, `${dbPath}-wal`]
    .map((p) => (existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : '-'))
    .join('/');

test('a session file with its own trigger and view is refused with the reason; nothing is added', async ({
  page,
  harness,
}) => {
  const file = join(dir, 'trigger.mlab');
  harness.nextSavePath = file;
  const current = await harness.lab.services.currentSession();
  await harness.lab.services.exportSessionFile({ id: current.session.id });
  const db = new Database(file);
  db.exec(
    'CREATE TRIGGER evil AFTER INSERT ON sessions BEGIN DELETE FROM runs; END; CREATE VIEW evil_view AS SELECT 1',
  );
  db.close();

  await view(page, 'sessions');
  await expect(page.locator('[data-session]')).toHaveCount(1);
  harness.lab.store.db.pragma('wal_checkpoint(TRUNCATE)');
  const before = hashLive();
  harness.nextOpenPath = file;
  await page.getByRole('button', { name: 'Import session file…' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(
    'cannot import this file: it carries database objects a Momentum Lab session file never has (trigger "evil", view "evil_view")',
  );
  await expect(page.locator('[data-session]')).toHaveCount(1);
  expect(hashLive()).toBe(before);
  await harness.shot('sessions-import-refused-trigger');
});
