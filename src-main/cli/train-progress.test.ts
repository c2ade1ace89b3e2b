import { describe, expect, it } from 'vitest';
import type { EvalPoint } from '../../src-core/contracts/train-protocol';
import { EtaEstimator, formatLoss, formatSeconds, progressLine, resultLine } from './train-progress';

const point = (iter: number, testAcc: number, testLoss: number): EvalPoint =>
  ({
    iter,
    epoch: 1,
    examples: iter * 32,
    trainLoss: 0.1,
    trainAcc: 0.9,
    testLoss,
    testAcc,
    elapsedMs: 100,
  }) as EvalPoint;

describe("the train command's last line", () => {
  it('finished: iterations, time, test accuracy and loss', () => {
    expect(
      resultLine({
        status: 'finished',
        iter: 7500,
        totalIters: 7500,
        elapsedMs: 2600,
        last: point(7500, 0.9714, 0.0941),
        message: 'finished 7500 iterations',
      }),
    ).toBe('finished 7,500 iterations in 2.6 s: test accuracy 97.14 %, loss 0.094');
  });
  it('early stopping says where it stopped, and which evaluation the numbers are from', () => {
    expect(
      resultLine({
        status: 'finished',
        iter: 600,
        totalIters: 7500,
        elapsedMs: 900,
        last: point(600, 0.9, 0.3),
        message:
          'stopped early at iteration 600 (patience 3, on the validation loss); restored the weights of iteration 400',
      }),
    ).toBe(
      'finished 600 iterations in 0.9 s (stopped early at iteration 600 (patience 3, on the validation loss); restored the weights of iteration 400): test accuracy 90.00 %, loss 0.300 (at iteration 600)',
    );
  });
  it('cancelled, diverged, collapsed, failed each say so first', () => {
    expect(
      resultLine({
        status: 'cancelled',
        iter: 1234,
        totalIters: 68_760,
        elapsedMs: 61_000,
        last: point(1200, 0.95, 0.15),
        message: 'cancelled at iteration 1234',
      }),
    ).toBe(
      'cancelled after 1,234 of 68,760 iterations in 1m01s; last evaluation: test accuracy 95.00 %, loss 0.150 (at iteration 1,200)',
    );
    expect(
      resultLine({
        status: 'diverged',
        iter: 12,
        totalIters: 100,
        elapsedMs: 50,
        last: null,
        message: 'diverged at iteration 12: loss is Infinity',
      }),
    ).toBe('diverged at iteration 12: loss is Infinity (after 0.1 s); last evaluation: no evaluation was made');
    expect(
      resultLine({
        status: 'collapsed',
        iter: 100,
        totalIters: 100,
        elapsedMs: 500,
        last: point(100, 0.1, Number.NaN),
        message: 'collapsed: accuracy at chance since iteration 40',
      }),
    ).toMatch(
      /^collapsed after 100 of 100 iterations in 0\.5 s: collapsed: accuracy at chance since iteration 40; last evaluation: test accuracy 10\.00 %, loss NaN/,
    );
    expect(
      resultLine({ status: 'failed', iter: 3, totalIters: 100, elapsedMs: 10, last: null, message: 'out of memory' }),
    ).toBe('failed after 3 of 100 iterations in 0.0 s: out of memory');
  });
  it('formats', () => {
    // One decimal below a minute, whatever the value (a busy machine's 17 s is "17.0 s"), then minutes and seconds;
    // the form follows the value as rounded, so 9.96 is "10.0 s" and 59.96 is "1m00s", never "60.0 s".
    expect([0.04, 2.64, 9.96, 12.4, 17, 59.6, 59.96, 61, 119.7, 3599.6].map(formatSeconds)).toEqual([
      '0.0 s',
      '2.6 s',
      '10.0 s',
      '12.4 s',
      '17.0 s',
      '59.6 s',
      '1m00s',
      '1m01s',
      '2m00s',
      '60m00s',
    ]);
    expect([0.0941, 2.3, 12.34, 228449.9].map(formatLoss)).toEqual(['0.094', '2.300', '12.3', '2.28e5']);
  });
});

describe('the ETA', () => {
  it('is not given from the first message (its time includes the start), nor before 50 iterations and 0.3 s of pace', () => {
    const eta = new EtaEstimator();
    // The first message: 1 iteration after 2 s of start-up (a pace of 2 s an iteration would say hours).
    expect(eta.update(1, 2000, 7500)).toBeNull();
    expect(eta.update(40, 2400, 7500)).toBeNull(); // < 50 iterations since
    expect(eta.update(200, 2100, 7500)).toBeNull(); // < 0.3 s since
    // 2,999 iterations in 1 s since the first message: 4,500 left take 1.5 s.
    expect(eta.update(3000, 3000, 7500)).toBeCloseTo(1.5006, 3);
  });
  it('the progress line has no ETA until one is measured', () => {
    expect(
      progressLine({ epoch: 0, epochs: 4, iter: 1, totalIters: 7500, loss: 2.31, last: null, etaSeconds: null }),
    ).toBe('epoch 0.00/4 iter 1/7,500 loss 2.3100');
    expect(
      progressLine({
        epoch: 1.5,
        epochs: 4,
        iter: 2812,
        totalIters: 7500,
        loss: 0.2,
        last: point(2800, 0.95, 0.2),
        etaSeconds: 2.04,
      }),
    ).toBe('epoch 1.50/4 iter 2,812/7,500 loss 0.2000 test acc 95.00 % ETA 2.0 s');
  });
});
