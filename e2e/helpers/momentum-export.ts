import type { Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '../fixtures';

// The Momentum view's built figures (x_t chart, phase diagram) against `momentum-lab figure`: the view's export
// written through the save dialog, and the CLI's file for the same settings, compared byte for byte.

const figureCli = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/momentum-lab.mjs', 'figure', ...args], { encoding: 'utf8', timeout: 120_000 });

/** The CLI writes each file with `args` (plus --out, in dir) into the same bytes as the view's export of it. */
export function expectSameAsCli(dir: string, files: [string, Buffer][], ...args: string[]): void {
  for (const [file, data] of files) {
    const r = figureCli(...args, '--out', join(dir, file));
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, file)).equals(data), file).toBe(true);
  }
}

/** Exports the view's `figure` (chosen in its figure menu) as `file` in dir (.svg or .png); the bytes written. */
export async function exportAs(
  page: Page,
  harness: { nextSavePath: string | null },
  dir: string,
  figure: string,
  file: string,
): Promise<Buffer> {
  await page.getByTestId('figure-choice').selectOption(figure);
  harness.nextSavePath = join(dir, file);
  const png = file.endsWith('.png');
  await page.getByRole('button', { name: `Export the ${figure} chart as ${png ? 'PNG' : 'SVG'}` }).click();
  await expect(page.getByTestId('figure-export').getByRole('status')).toContainText(file);
  return readFileSync(join(dir, file));
}
