import { tick } from 'svelte';
import type { AppViewId } from '../../src-core/contracts/app-command';
import { exportFigure } from '../export/export-figure';
import { ownerOf, runCommand, type CommandImpls } from './command-registry';
import { importSessionHere, openDatasetHere } from './host-files';
import { lab } from './lab';

// The app-wide effects of the commands, registered by the shell (App.svelte)
// under every view's own registrations: switching views, the theme, the help
// dialogs, sessions and datasets, and the figure on screen. A view that
// serves a command itself (Train, Cancel, Open dataset… in the Training view)
// registers it and wins.

export interface ShellContext {
  showView(id: AppViewId, focus: boolean): Promise<void>;
  hasView(id: string): boolean;
  currentView(): { id: string; label: string };
  /** The element the views are mounted in. */
  main(): HTMLElement | undefined;
  say(text: string, error?: boolean): void;
  toggleTheme(): void;
  openGuide(): void;
  openShortcuts(): void;
  /** Remount the view (after the dataset changed under it) and say why. */
  remount(text: string): void;
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The figure Ctrl/⌘+E exports: the chart that has focus (or holds it), else the first one on screen. */
export function currentFigure(main: HTMLElement | undefined): SVGSVGElement | null {
  const focused = document.activeElement;
  const own = focused?.closest<SVGSVGElement>('svg[data-figure]');
  if (own) return own;
  // Focus in a chart's surroundings (its export bar, its table toggle): the figure next to it.
  for (let el = focused?.parentElement; el && el !== main; el = el.parentElement) {
    const near = el.querySelector<SVGSVGElement>('svg[data-figure]');
    if (near && near.getClientRects().length > 0) return near;
  }
  const all = [...(main?.querySelectorAll<SVGSVGElement>('svg[data-figure]') ?? [])];
  return all.find((svg) => svg.getClientRects().length > 0) ?? null;
}

export function shellCommands(ctx: ShellContext): CommandImpls {
  /** Run a command in `view`: switch there, and run it if that view serves it; false if it does not. */
  const inView = async (view: AppViewId, type: 'report.export'): Promise<boolean> => {
    if (!ctx.hasView(view)) return false;
    if (ctx.currentView().id !== view) await ctx.showView(view, true);
    await tick();
    if (ownerOf(type) === 'shell') return false;
    runCommand({ type }, 'ui');
    return true;
  };
  const unavailable = (label: string) => ({
    perform: () => ctx.say(`${label} is not available in the ${ctx.currentView().label} view.`),
  });

  return {
    'view.show': { perform: (c) => ctx.showView(c.view, true) },
    'theme.toggle': { perform: () => ctx.toggleTheme() },
    'help.guide': { perform: () => ctx.openGuide() },
    'help.shortcuts': { perform: () => ctx.openShortcuts() },
    'dataset.open': {
      perform: async () => {
        try {
          const info = await openDatasetHere();
          if (info) ctx.remount(`Now training on ${info.name}.`);
        } catch (e) {
          ctx.say(`Could not open the dataset: ${errText(e)}`, true);
        }
      },
    },
    'session.open': { perform: () => ctx.showView('sessions', true) },
    'session.open-recent': {
      perform: async (c) => {
        try {
          const d = await lab.openSession({ id: c.sessionId });
          ctx.say(`Opened session “${d.session.name}”.`);
        } catch (e) {
          ctx.say(`Could not open the session: ${errText(e)}`, true);
        }
      },
    },
    'session.new': {
      perform: async () => {
        try {
          const d = await lab.createSession({ name: `Session ${new Date().toISOString().slice(0, 10)}` });
          ctx.say(`New session “${d.session.name}”: new runs are saved into it.`);
        } catch (e) {
          ctx.say(`Could not create a session: ${errText(e)}`, true);
        }
      },
    },
    'session.import': {
      perform: async () => {
        try {
          const got = await importSessionHere();
          if (got) ctx.say(`Imported ${got.map((s) => `“${s.name}”`).join(', ')}.`);
        } catch (e) {
          ctx.say(`Could not import the session: ${errText(e)}`, true);
        }
      },
    },
    'session.export': {
      perform: async () => {
        try {
          const cur = await lab.currentSession();
          const out = await lab.exportSessionFile({ id: cur.session.id });
          if (out) ctx.say(`Saved “${cur.session.name}” to ${out.path}.`);
        } catch (e) {
          ctx.say(`Could not export the session: ${errText(e)}`, true);
        }
      },
    },
    'figure.export': {
      perform: async () => {
        const svg = currentFigure(ctx.main());
        if (!svg) {
          ctx.say(`There is no figure to export in the ${ctx.currentView().label} view yet.`);
          return;
        }
        try {
          const path = await exportFigure(svg, svg.getAttribute('data-caption') ?? '', 'png', 2);
          if (path) ctx.say(`Saved the figure to ${path}.`);
        } catch (e) {
          ctx.say(`Could not export the figure: ${errText(e)}`, true);
        }
      },
    },
    // Studies have their view (whose form serves Run Study once shown); reports live with the sessions.
    'run.study': {
      perform: async () => {
        if (ctx.hasView('studies')) await ctx.showView('studies', true);
        ctx.say('Run Study: pick a study, edit its values and press Run study.');
      },
    },
    'report.export': {
      perform: async () => {
        if (await inView('sessions', 'report.export')) return;
        ctx.say('Export Report: use Report (HTML)… in the Sessions view.');
      },
    },
    'run.train': unavailable('Train'),
    'run.cancel': { enabled: () => false, perform: () => {} },
  };
}
