import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { WireMessage } from '../../src-core/contracts/lab-wire';
import { DEFAULT_TRAIN_CONFIG } from '../../src-core/contracts/train-config';
import type { TrainerMessage, TrainerRequest } from '../../src-core/contracts/train-protocol';
import { builtinMnistFiles } from '../../src-core/node/mnist';
import { nodeLauncher } from '../workers/node-launcher';
import type { WorkerHandle } from '../workers/worker-handle';
import { decodeMessage, encodeMessage } from './wire';

// What goes to a tab carries each typed array's own bytes, never the rest of the buffer it is a view into (the
// trainer's whole IPC message, unrelated bytes of a pool): src-core/contracts/own-bytes.ts, applied by the codec.

const event = (value: unknown): WireMessage => ({ kind: 'result', id: 1, result: { ok: true, value } });
const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);

describe('encodeMessage and typed-array views', () => {
  it('sends a view as its own values, whatever buffer it sits in, and none of the bytes around it', () => {
    const kinds = [Uint8Array, Int32Array, Float32Array, Float64Array] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 64 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 4096 }),
        (k, offsetUnits, length, after) => {
          const Kind = kinds[k];
          const size = Kind.BYTES_PER_ELEMENT;
          // The bytes around the view: a marker that must not reach the tab.
          const buffer = new ArrayBuffer((offsetUnits + length) * size + after);
          new Uint8Array(buffer).fill(0xa5);
          const view = new Kind(buffer, offsetUnits * size, length);
          for (let i = 0; i < length; i++) view[i] = (i % 7) - 3;
          const message = event({ nested: [{ view }], other: 'x' });
          const frame = encodeMessage(message);
          const back = decodeMessage(frame) as { result: { value: { nested: [{ view: typeof view }] } } };
          const got = back.result.value.nested[0].view;
          expect(got).toBeInstanceOf(Kind);
          expect(Array.from(got)).toEqual(Array.from(view));
          expect(got.byteLength).toBe(got.buffer.byteLength);
          expect(frame.length).toBeLessThan(base64Length(length * size) + 300);
          // The message given was not changed.
          expect((message as { result: { value: { nested: [{ view: unknown }] } } }).result.value.nested[0].view).toBe(
            view,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a Node Buffer slice of a pool goes as its own bytes', () => {
    const pool = Buffer.alloc(8192, 'secret');
    const slice = pool.subarray(100, 110);
    const frame = encodeMessage(event(slice));
    expect(frame).not.toContain(Buffer.from('secretsecretsecret').toString('base64').slice(0, 12));
    expect(frame.length).toBeLessThan(200);
  });

  describe('a real trainer process', () => {
    let worker: WorkerHandle<TrainerRequest, TrainerMessage> | null = null;
    afterEach(() => worker?.kill());

    it("an evaluation's detail, as the display stream sends it, costs its own bytes, not the trainer's message", async () => {
      worker = nodeLauncher<TrainerRequest, TrainerMessage>('trainer');
      const evals: Extract<TrainerMessage, { type: 'eval' }>[] = [];
      const ended = new Promise<void>((resolve) =>
        worker!.onMessage((m) => {
          if (m.type === 'eval') evals.push(m);
          if (m.type === 'end') resolve();
        }),
      );
      const config = { ...DEFAULT_TRAIN_CONFIG, perClass: 10, batchSize: 10, epochs: 1, evalEvery: 5 };
      worker.post({ type: 'start', runId: 'r', config, dataset: builtinMnistFiles() });
      await ended;
      const { predicted, confidence, confusion } = evals.at(-1)!.detail;
      // The case under test: the arrays arrive as views into the message's whole buffer (with the 400 KB of probs).
      expect(predicted.buffer.byteLength).toBeGreaterThan(400_000);
      const own = predicted.byteLength + confidence.byteLength + confusion.byteLength;
      const frame = encodeMessage({
        kind: 'event',
        event: { channel: 'train', message: { ...evals.at(-1)!, detail: { predicted, confidence, confusion } } },
      });
      expect(frame.length).toBeLessThan(base64Length(own) + 2000);
      const back = decodeMessage(frame);
      const detail = (back as { event: { message: { detail: { confidence: Float32Array } } } }).event.message.detail;
      expect(Array.from(detail.confidence)).toEqual(Array.from(confidence));
    });
  });
});
