import { evalChunk, startEvalPass, type EvalPass } from './evaluate';
import { CANCELLED, evalMessage, fastPass, GO_ON, weightsMessage } from './evaluator';
import type { EvalContext, EvalOutcome, EvalRequest, Evaluator, ValPass } from './evaluator';
import { SharpnessMeter, type SharpnessEstimate } from './sharpness/meter';

/** The test and validation passes of one evaluation. */
export interface Passes {
  test: EvalPass;
  val: ValPass | null;
}

/**
 * Evaluation on the training thread: the test pass and then the validation pass on the current weights, chunk by
 * chunk (the fast kernels on slot 0 of the run's memory, or the TypeScript kernels), yielding when due and checking for
 * a stop between chunks; sharpness measured here too, by this evaluator's own meter.
 */
export class InlineEvaluator implements Evaluator {
  private readonly meter: SharpnessMeter | null;

  constructor(private readonly ctx: EvalContext) {
    const s = ctx.run.sharpness;
    this.meter = s ? new SharpnessMeter(s.data, s.act, s.loss, { seed: s.seed }) : null;
  }

  async evaluate(request: EvalRequest): Promise<EvalOutcome> {
    return (await this.evaluateAndEmit(request)) ? GO_ON : CANCELLED;
  }

  /** Evaluates, emits the point and the weights; returns the passes (null: a stop arrived meanwhile). */
  async evaluateAndEmit(request: EvalRequest): Promise<Passes | null> {
    // Read synchronously before the passes: the weights the evaluation sees.
    const sharp = request.sharpness ? this.measure() : null;
    const passes = await this.passes();
    if (!passes) return null;
    const { out, runId, run } = this.ctx;
    out.emit(evalMessage(this.ctx, request, passes.test, passes.val, sharp));
    out.emit(weightsMessage(runId, request.head.iter, run.params));
    return passes;
  }

  /** λ_max (and λ_min when negative) at the current weights; null when sharpness is off. */
  measure(): SharpnessEstimate | null {
    return this.meter ? this.meter.measure(this.ctx.run.params) : null;
  }

  /** Full test and validation passes with the current weights; null when a stop arrived meanwhile. */
  async passes(): Promise<Passes | null> {
    const { run, yielder } = this.ctx;
    const { net, act, loss } = run;
    if (net) {
      net.snapshot(0);
      for (const job of [net.evalJob(0, act, loss), net.valJob(0, act, loss)]) {
        if (!job) continue;
        for (let from = 0; from < job.count; from += job.chunk) {
          net.evalRows(job, from, Math.min(job.chunk, job.count - from));
          await yielder.ifDue();
          if (this.ctx.shouldStop()) return null;
        }
      }
      return { test: fastPass(net, 0), val: net.valResult(0) };
    }
    const sets = [
      { images: run.test!, labels: this.ctx.testLabels, idx: run.testIdx },
      ...(run.valEval ? [run.valEval] : []),
    ];
    const done: EvalPass[] = [];
    for (const set of sets) {
      const pass = startEvalPass(set.labels.length);
      while (!evalChunk(pass, run.params, act, loss, set.images, set.labels, set.idx, run.evalWs)) {
        await yielder.ifDue();
        if (this.ctx.shouldStop()) return null;
      }
      done.push(pass);
    }
    return { test: done[0], val: done[1] ?? null };
  }

  close(): void {}
}
