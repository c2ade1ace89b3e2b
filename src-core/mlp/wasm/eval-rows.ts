import { LOGITS_BYTES, type EvalJob } from './fast-net';

/** One i32 image index. */
const INDEX_BYTES = 4;
import type { KernelExports } from './instance';

/**
 * Evaluates images [from, from + count) of job with the kernels k (of any instance over the job's memory): the forward
 * pass, then the evaluation head into the job's slot. FastNet.evalRows on the training thread and the evaluation thread
 * (src-core/node/eval-thread-main.ts) both run this.
 */
export function evalRows(k: KernelExports, job: EvalJob, from: number, count: number): void {
  const z = job.z + from * LOGITS_BYTES;
  const idx = job.idx + from * INDEX_BYTES;
  if (job.dense) {
    k.forwardDense(
      job.a,
      z,
      job.H,
      job.w1,
      job.b1,
      job.w2,
      job.b2,
      job.dense,
      job.inputs,
      job.unit,
      idx,
      count,
      job.act,
      job.xs,
      0,
    );
  } else {
    k.forward(job.a, z, job.H, job.w1, job.b1, job.w2, job.b2, job.start, job.packed, job.unit, idx, count, job.act);
  }
  k.evalHead(
    job.z,
    job.y,
    from,
    count,
    job.loss,
    job.probs,
    job.predicted,
    job.confidence,
    job.confusion,
    job.out,
    job.pr,
  );
}

/** Runs a whole job, chunk by chunk. */
export function evalJobRows(k: KernelExports, job: EvalJob): void {
  for (let from = 0; from < job.count; from += job.chunk) evalRows(k, job, from, Math.min(job.chunk, job.count - from));
}
