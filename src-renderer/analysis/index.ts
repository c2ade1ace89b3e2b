export { default as RunAnalysis } from './RunAnalysis.svelte';
export { default as EarlyStoppingChart } from './EarlyStoppingChart.svelte';
export { default as GapChart } from './GapChart.svelte';
export { default as ConfusionPanel } from './ConfusionPanel.svelte';
export { default as ConfusionHeatmap } from './ConfusionHeatmap.svelte';
export { default as HiddenUnits } from './HiddenUnits.svelte';
