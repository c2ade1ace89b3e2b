import { chromium } from '@playwright/test';
import { crc32, grayPng } from './png-gray';
import { describe, expect, it } from 'vitest';

// The report's digit images. Oracles: the CRC-32 check value of "123456789" (0xCBF43926, the standard's), and
// Chromium's own PNG decoder reading every pixel back.

describe('grayscale PNG', () => {
  it('CRC-32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('Chromium decodes it to the same pixels', async () => {
    const w = 7;
    const h = 5;
    const pixels = Uint8Array.from({ length: w * h }, (_, i) => (i * 37) % 256);
    const png = grayPng(pixels, w, h);
    const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium' });
    try {
      const page = await browser.newPage();
      const read = await page.evaluate(
        async (src) => {
          // Runs in the page (this file is compiled without DOM types).
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- DOM objects; this file has no DOM types
          const g = globalThis as unknown as { Image: new () => any; document: any };
          const img = new g.Image();
          img.src = src;
          await img.decode();
          const canvas = g.document.createElement('canvas');
          canvas.width = img.width;
          canvas.height = img.height;
          const ctx = canvas.getContext('2d');
          ctx.drawImage(img, 0, 0);
          const data = ctx.getImageData(0, 0, img.width, img.height).data;
          return {
            w: img.width,
            h: img.height,
            grey: Array.from({ length: img.width * img.height }, (_, i) => data[i * 4] as number),
          };
        },
        `data:image/png;base64,${png.toString('base64')}`,
      );
      expect(read).toEqual({ w, h, grey: Array.from(pixels) });
    } finally {
      await browser.close();
    }
    expect(() => grayPng(pixels, w, h + 1)).toThrow(/do not make/);
  }, 60_000);
});
