import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendEval, endRun, insertRun } from '../src-core/node/store/record';
import { detail, newRun, point } from '../src-core/node/store/test-helpers';
import { expect, test } from './fixtures';
import { view } from './helpers/app';

// A session whose rows are damaged (text where a number belongs, as a
// forged file or another tool could leave it) fails to load with the column
// named: the Runs table empties instead of keeping the previous session's
// rows, and the session can still be deleted. And a session of many runs is
// shown one page at a time.

const dir = mkdtempSync(join(tmpdir(), 'mlab-e2e-broken-'));
test.use({ labOptions: { dbPath: join(dir, 'lab.db') } });

test("a session that fails to load shows why, keeps no other session's rows, and can be deleted", async ({
  page,
  harness,
}) => {
  const store = harness.lab.store;
  const good = store.createSession('Good runs').id;
  const broken = store.createSession('Broken').id;
  for (const [id, sid] of [
    ['g1', good],
    ['g2', good],
    ['b1', broken],
  ] as const) {
    insertRun(store.db, { ...newRun(id, sid), name: `run ${id}` });
    appendEval(store.db, id, point(4), detail(), null);
    endRun(store.db, id, 'finished', 'done', 4, 10, 1_700_000_100_000);
  }
  store.db.prepare("UPDATE evals SET test_acc = 'oops' WHERE run_id = 'b1'").run();
  store.selectSession(good);

  await view(page, 'sessions');
  const rows = page.locator('table.runs tr[data-run-row]');
  await expect(page.getByTestId('session-title')).toHaveText('Good runs');
  await expect(rows).toHaveCount(2);

  await page.locator('[data-session="Broken"]').click();
  await expect(page.getByTestId('session-title')).toHaveText('Broken');
  await expect(page.getByTestId('session-load-error')).toContainText(
    'runs.final_acc of run b1: must be an accuracy in [0, 1] or NaN (found text "oops")',
  );
  // Not Good runs' rows under Broken's title.
  await expect(page.locator('table.runs')).toHaveCount(0);
  await expect(page.getByText('run g1')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Duplicate' })).toBeDisabled();
  await harness.shot('sessions-broken-session');

  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('button', { name: /^Delete "Broken"/ }).click();
  await expect(page.locator('[data-session="Broken"]')).toHaveCount(0);
  await expect(page.getByTestId('session-load-error')).toHaveCount(0);
  expect(store.listSessions().map((s) => s.name)).not.toContain('Broken');
  expect(store.db.prepare("SELECT COUNT(*) FROM runs WHERE id = 'b1'").pluck().get()).toBe(0);
});

test('a session of 450 runs is shown 200 at a time', async ({ page, harness }) => {
  const store = harness.lab.store;
  const many = store.createSession('Many').id;
  store.db.transaction(() => {
    for (let i = 0; i < 450; i++) {
      insertRun(store.db, { ...newRun(`m${i}`, many), name: `many ${i + 1}`, startedAt: 1_700_000_000_000 + i });
      endRun(store.db, `m${i}`, 'finished', 'done', 0, 1, 1_700_000_100_000);
    }
  })();
  store.selectSession(many);
  await view(page, 'sessions');
  const rows = page.locator('table.runs tr[data-run-row]');
  await expect(page.getByTestId('runs-pager')).toContainText('runs 1–200 of 450');
  await expect(rows).toHaveCount(200);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('runs-pager')).toContainText('runs 201–400 of 450');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('runs-pager')).toContainText('runs 401–450 of 450');
  await expect(rows).toHaveCount(50);
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await harness.shot('sessions-paged');
});
