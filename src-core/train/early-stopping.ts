import { stopRule } from '../analysis/stopping-rule';
import type { TrainerMessage } from '../contracts/train-protocol';
import { CANCELLED, GO_ON, sharpnessFields, valFields, weightsMessage } from './evaluator';
import type { EvalContext, EvalOutcome, EvalRequest, Evaluator } from './evaluator';
import { InlineEvaluator } from './evaluator-inline';

/**
 * Early stopping: each evaluation runs inline (the rule needs its validation loss before training goes on), then the
 * lab's one rule (src-core/analysis/stopping-rule.ts, as the analysis panel applies it) on the validation loss:
 * improvement = a lower one; the test set is only reported. When it says stop, the best weights are restored and
 * evaluated once more, so the last point shows the restored model (its train numbers are the best evaluation's running
 * means, and its sharpness, whenever sharpness is on, is that of the restored weights).
 */
export class EarlyStoppingEvaluator implements Evaluator {
  private readonly inline: InlineEvaluator;
  private readonly valLosses: number[] = [];
  private readonly bestParams: Float32Array[];
  private bestIter = 0;
  private bestTrain = { trainLoss: NaN, trainAcc: NaN };

  constructor(
    private readonly ctx: EvalContext,
    private readonly patience: number,
  ) {
    this.inline = new InlineEvaluator(ctx);
    this.bestParams = ctx.run.plist.map((p) => new Float32Array(p.length));
  }

  async evaluate(request: EvalRequest): Promise<EvalOutcome> {
    const passes = await this.inline.evaluateAndEmit(request);
    if (!passes) return CANCELLED;
    if (!passes.val) return GO_ON;
    const { ctx, patience } = this;
    const { plist } = ctx.run;
    this.valLosses.push(passes.val.lossSum / ctx.run.valIdx.length);
    const rule = stopRule(this.valLosses, patience);
    const iter = request.head.iter;
    if (rule.keptIndex === this.valLosses.length - 1) {
      this.bestIter = iter;
      this.bestTrain = { trainLoss: request.head.trainLoss, trainAcc: request.head.trainAcc };
      plist.forEach((p, k) => this.bestParams[k].set(p));
      return GO_ON;
    }
    if (rule.stopIndex === null || rule.keptIndex < 0) return GO_ON;
    plist.forEach((p, k) => p.set(this.bestParams[k]));
    const again = await this.inline.passes();
    if (!again) return CANCELLED;
    const sharp = this.inline.measure();
    const message: TrainerMessage = {
      type: 'eval',
      runId: ctx.runId,
      point: {
        ...request.head,
        ...this.bestTrain,
        testLoss: again.test.lossSum / ctx.testCount,
        testAcc: again.test.correct / ctx.testCount,
        ...valFields(ctx, again.val),
        elapsedMs: ctx.elapsed(),
        ...sharpnessFields(sharp),
      },
      detail: again.test.detail,
    };
    ctx.out.emit(message);
    ctx.out.emit(weightsMessage(ctx.runId, iter, ctx.run.params));
    const why =
      `stopped early at iteration ${iter} (patience ${patience}, on the validation loss); ` +
      `restored the weights of iteration ${this.bestIter}`;
    return { kind: 'stopped', stoppedAt: iter, bestIter: this.bestIter, message: why };
  }

  close(): void {}
}
