import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameQueue } from './frame-queue';

describe('FrameQueue', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('delivers a burst in one call, in order, and nothing twice', () => {
    const calls: number[][] = [];
    const q = new FrameQueue<number>((items) => calls.push(items), 100);
    for (let i = 0; i < 500; i++) q.push(i);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(calls).toEqual([Array.from({ length: 500 }, (_, i) => i)]);
    vi.advanceTimersByTime(1000);
    expect(calls.length).toBe(1);
  });

  it('uses an animation frame when there is one, whichever comes first', () => {
    let frame: (() => void) | null = null;
    vi.stubGlobal('requestAnimationFrame', (fn: () => void) => ((frame = fn), 7));
    vi.stubGlobal('cancelAnimationFrame', () => (frame = null));
    try {
      const calls: string[][] = [];
      const q = new FrameQueue<string>((items) => calls.push(items), 100);
      q.push('a');
      q.push('b');
      frame!();
      expect(calls).toEqual([['a', 'b']]);
      vi.advanceTimersByTime(200); // the fallback timer was cleared
      expect(calls.length).toBe(1);
      q.push('c');
      vi.advanceTimersByTime(100); // frames paused (hidden tab): the timer delivers
      expect(calls).toEqual([['a', 'b'], ['c']]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('flush() delivers at once', () => {
    const calls: number[][] = [];
    const q = new FrameQueue<number>((items) => calls.push(items));
    q.flush();
    expect(calls).toEqual([]);
    q.push(1);
    q.flush();
    expect(calls).toEqual([[1]]);
  });

  it('with a minimum gap, a delivery waits until that long after the previous one; flush() does not wait', () => {
    const calls: number[][] = [];
    const q = new FrameQueue<number>((items) => calls.push(items), 10, 400);
    q.push(1);
    vi.advanceTimersByTime(10);
    expect(calls).toEqual([[1]]);
    q.push(2);
    vi.advanceTimersByTime(200);
    q.push(3);
    vi.advanceTimersByTime(189);
    expect(calls).toEqual([[1]]);
    vi.advanceTimersByTime(21); // 400 ms after the first delivery, then the frame fallback (10 ms)
    expect(calls).toEqual([[1], [2, 3]]);
    q.push(4);
    q.flush();
    expect(calls).toEqual([[1], [2, 3], [4]]);
    vi.advanceTimersByTime(1000);
    expect(calls.length).toBe(3);
  });
});
