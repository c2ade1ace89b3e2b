import type { Component } from 'svelte';
import type { AppViewId } from '../../src-core/contracts/app-command';
import TrainingView from './training/TrainingView.svelte';
import MomentumView from './momentum/MomentumView.svelte';
import SessionsView from './sessions/SessionsView.svelte';
import CompareView from './compare/CompareView.svelte';
import StudiesView from './studies/StudiesView.svelte';

// The app's top-level views, in the order the navigation shows them. A new
// view adds one line here.
export interface ViewEntry {
  id: AppViewId;
  label: string;
  component: Component;
}

export const VIEWS: ViewEntry[] = [
  { id: 'training', label: 'Training', component: TrainingView },
  { id: 'momentum', label: 'Momentum', component: MomentumView },
  { id: 'sessions', label: 'Sessions', component: SessionsView },
  { id: 'compare', label: 'Compare', component: CompareView },
  { id: 'studies', label: 'Studies', component: StudiesView },
];
