import type { Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendBatch, appendEval, endRun, insertRun } from '../src-core/node/store/record';
import { detail, newRun, point } from '../src-core/node/store/test-helpers';
import { expect, test } from './fixtures';
import { view } from './helpers/app';

// Names, notes and captions that arrive in an imported session file render as
// text everywhere, and exported SVG and HTML carry no script.

const XSS = '<img src=x onerror=alert(1)>';
const XSS_NOTES = `${XSS}<script>alert(2)</script><a href="javascript:alert(3)">link</a><svg onload=alert(4)>`;
const dir = mkdtempSync(join(tmpdir(), 'mlab-e2e-xss-'));
test.use({ labOptions: { dbPath: join(dir, 'lab.db') } });

/** What a browser's parser finds in a document: scripts, handler attributes, javascript: URLs, and injected images. */
async function inspect(page: Page, text: string, type: 'text/html' | 'image/svg+xml') {
  return page.evaluate(
    ({ src, type }) => {
      const doc = new DOMParser().parseFromString(src, type);
      const all = [...doc.querySelectorAll('*')];
      return {
        parseError: doc.getElementsByTagName('parsererror').length > 0,
        scripts: doc.getElementsByTagName('script').length,
        handlers: all.flatMap((el) =>
          [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.localName}[${a.name}]`),
        ),
        jsUrls: all.flatMap((el) =>
          [...el.attributes].filter((a) => /^\s*javascript:/i.test(a.value)).map((a) => `${el.localName}[${a.name}]`),
        ),
        images: doc.querySelectorAll('img[src="x"], image[href="x"]').length,
        foreign:
          doc.getElementsByTagName('foreignObject').length +
          doc.getElementsByTagName('iframe').length +
          doc.getElementsByTagName('object').length,
        text: doc.documentElement.textContent ?? '',
      };
    },
    { src: text, type },
  );
}

test('names, notes and captions from an imported session render as text; exports carry no script', async ({
  page,
  harness,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const requests: string[] = [];
  page.on('request', (r) => {
    if (/\/x$/.test(r.url())) requests.push(r.url());
  });

  // A session file from a stranger: session, runs and notes named with markup.
  const { lab } = harness;
  const source = lab.store.createSession(`${XSS} session`);
  lab.store.openSession(source.id);
  for (const [k, id] of ['a', 'b'].entries()) {
    insertRun(lab.store.db, {
      ...newRun(id, source.id, { lr: k === 0 ? 0.01 : 0.1 }),
      name: k === 0 ? XSS : `${XSS} ${k}`,
    });
    appendBatch(
      lab.store.db,
      id,
      0,
      Float32Array.from([2.3, 2.1, 1.9, 1.7]),
      Float32Array.from([0.1, 0.2, 0.3, 0.4]),
      4,
      10,
    );
    for (const iter of [1, 2, 3, 4]) appendEval(lab.store.db, id, point(iter), detail(), null);
    endRun(lab.store.db, id, 'finished', 'finished', 4, 40, Date.now());
    lab.store.updateRun(id, { notes: XSS_NOTES });
  }
  harness.nextSavePath = join(dir, 'stranger.mlab');
  expect((await lab.services.exportSessionFile({ id: source.id }))?.path).toBe(join(dir, 'stranger.mlab'));
  lab.store.deleteSession(source.id);
  harness.nextOpenPath = join(dir, 'stranger.mlab');
  const imported = await lab.services.importSessionFile();
  expect(imported).toHaveLength(1);
  lab.store.openSession(imported![0].id);
  await harness.reload();

  // The Sessions view: session title, run names, notes, all literal.
  await view(page, 'sessions');
  await expect(page.getByTestId('session-title')).toContainText(XSS);
  await expect(page.locator('tr[data-run-row]')).toHaveCount(2);
  await expect(page.getByLabel(`Name of ${XSS}`, { exact: true })).toHaveValue(XSS);
  await page
    .locator(`tr[data-run-row="${XSS}"]`)
    .getByRole('button', { name: /^Notes/ })
    .click();
  await expect(page.getByLabel(`Notes on ${XSS}`, { exact: true })).toHaveValue(XSS_NOTES);
  await expect(page.getByText(`${XSS} session`).first()).toBeVisible();

  // Compare: the legend and the captions come from the same names and configs.
  await page.getByLabel(`Compare ${XSS}`, { exact: true }).check();
  await page.getByLabel(`Compare ${XSS} 1`, { exact: true }).check();
  await page.getByRole('button', { name: 'Compare selected (2)' }).click();
  const acc = page.locator('svg[data-figure="compare-accuracy"]');
  await expect(acc.locator('path[data-run]')).toHaveCount(4);
  await page.getByLabel('Caption of the accuracy chart').fill(`${XSS} caption`);
  await expect(acc).toContainText(`${XSS} caption`);
  await harness.shot('xss-compare');

  // Nothing ran, nothing was injected, nothing was fetched.
  expect(dialogs).toEqual([]);
  expect(requests).toEqual([]);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.locator('script:not([src])').count()).toBe(0);
  expect(
    await page.evaluate(
      () =>
        [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
    ),
  ).toBe(0);

  // The exported SVG: the caption is text, there is no script, handler or javascript: URL.
  harness.nextSavePath = join(dir, 'accuracy.svg');
  await page.getByRole('button', { name: 'Export the accuracy chart as SVG' }).click();
  await expect(page.getByTestId('compare-accuracy').getByRole('status')).toContainText('accuracy.svg');
  const svg = await inspect(page, readFileSync(join(dir, 'accuracy.svg'), 'utf8'), 'image/svg+xml');
  expect(svg).toMatchObject({ parseError: false, scripts: 0, handlers: [], jsUrls: [], images: 0, foreign: 0 });
  expect(svg.text).toContain(`${XSS} caption`);

  // The HTML report (from the Compare view): names, notes and captions are text; no script anywhere.
  harness.nextSavePath = join(dir, 'report.html');
  await page.getByRole('button', { name: 'Report of these runs (HTML)' }).click();
  await expect(page.getByRole('status').first()).toContainText('report.html');
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  const report = await inspect(page, html, 'text/html');
  expect(report).toMatchObject({ scripts: 0, handlers: [], jsUrls: [], images: 0 });
  expect(report.text).toContain(XSS);
  expect(report.text).toContain('<script>alert(2)</script>');
  // Opened for real, it shows the markup as text and runs nothing.
  const opened = await page.context().newPage();
  const openedDialogs: string[] = [];
  opened.on('dialog', (d) => {
    openedDialogs.push(d.message());
    void d.dismiss();
  });
  await opened.goto(`file://${join(dir, 'report.html')}`);
  await expect(opened.getByText(XSS).first()).toBeVisible();
  expect(await opened.locator('img[src="x"]').count()).toBe(0);
  await opened.waitForTimeout(300);
  expect(openedDialogs).toEqual([]);
  await opened.close();

  // The report built straight from the services with a hostile figure caption: the same.
  const sessionId = imported![0].id;
  harness.nextSavePath = join(dir, 'report-2.html');
  const figure = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>t</text></svg>';
  await lab.services.exportReport({ sessionId, figures: [{ svg: figure, caption: XSS_NOTES }] });
  const report2 = await inspect(page, readFileSync(join(dir, 'report-2.html'), 'utf8'), 'text/html');
  expect(report2).toMatchObject({ scripts: 0, handlers: [], jsUrls: [], images: 0 });
  expect(report2.text).toContain(XSS_NOTES);
  expect(dialogs).toEqual([]);
});
