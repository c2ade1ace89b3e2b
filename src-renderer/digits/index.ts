export { default as DigitCanvas } from './DigitCanvas.svelte';
export { default as DigitGallery } from './DigitGallery.svelte';
export { default as DigitDialog } from './DigitDialog.svelte';
export { TestDigits, DIGIT_PAGE } from './test-digits.svelte';
export type { DigitEntry } from './gallery-types';
