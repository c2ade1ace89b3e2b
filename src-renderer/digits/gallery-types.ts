/** What a gallery knows about one test image after an evaluation. */
export interface DigitEntry {
  /** Index into the test split. */
  index: number;
  truth: number;
  predicted: number;
  /** Probability the model gave its predicted class. */
  confidence: number;
}
