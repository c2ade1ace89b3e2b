import type { AppCommand } from '../../src-core/contracts/app-command';
import { shortcutHint } from './shortcuts';

/**
 * Svelte action for a button that runs a command: shows the shortcut in its
 * tooltip and aria-keyshortcuts, and marks it data-command so the shell can
 * click it when the view has not subscribed to the command bus.
 *
 *   <button use:shortcut={{ type: 'run.train' }}>Train</button>
 */
export function shortcut(node: HTMLElement, command: AppCommand) {
  const apply = (c: AppCommand) => {
    const label = node.getAttribute('aria-label') ?? node.textContent?.trim() ?? '';
    const hint = shortcutHint(label, c);
    node.title = hint.title;
    if (hint['aria-keyshortcuts']) node.setAttribute('aria-keyshortcuts', hint['aria-keyshortcuts']);
    else node.removeAttribute('aria-keyshortcuts');
    node.dataset['command'] = c.type;
  };
  apply(command);
  return { update: apply };
}
