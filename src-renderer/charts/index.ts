export { default as LineChart } from './LineChart.svelte';
export { default as BarChart } from './BarChart.svelte';
export type { LineSeries, XMarker } from './types';
