import { describe, expect, it } from 'vitest';
import { builtinMnistInfo, loadDataset } from './load-dataset';
import { builtinMnistFiles } from './mnist';

describe('the built-in dataset info', () => {
  it('read from labels and image headers alone equals the info of a full load', () => {
    expect(builtinMnistInfo()).toEqual(loadDataset(builtinMnistFiles()).info);
  });
});
