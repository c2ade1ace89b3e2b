// The status and error line under a view's buttons (exports, session actions): each action clears it, then says
// what it did ("Saved …") or why it failed.

export class ActionStatus {
  status = $state('');
  error = $state('');
  /** An action is under way (its buttons wait). */
  busy = $state(false);
  /** Runs `action`; its answer (what was done, or null / nothing when the user cancelled) becomes the status. */
  async run(action: () => Promise<string | null | undefined | void>): Promise<void> {
    this.status = '';
    this.error = '';
    this.busy = true;
    try {
      this.status = (await action()) ?? '';
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
    }
  }
  fail(e: unknown): void {
    this.error = e instanceof Error ? e.message : String(e);
  }
}
