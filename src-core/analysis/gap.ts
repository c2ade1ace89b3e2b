import type { EvalPoint } from '../contracts/train-protocol';

// Generalisation gap per evaluation. The train side is the trainer's running
// mean of mini-batch losses since the previous evaluation (not a full pass).

/** gap_loss = testLoss - trainLoss, gap_acc = trainAcc - testAcc, per evaluation. */
export function generalisationGap(points: readonly EvalPoint[]): { loss: number[]; acc: number[] } {
  return {
    loss: points.map((p) => p.testLoss - p.trainLoss),
    acc: points.map((p) => p.trainAcc - p.testAcc),
  };
}
