// A figure's caption follows its default (the settings it shows) until the user edits it; from then on the edit stays.
// Call `follow(default)` from an effect; bind the caption input to `value`.

export class FollowingCaption {
  value = $state('');
  #last = '';
  follow(next: string): void {
    if (this.value === this.#last) this.value = next;
    this.#last = next;
  }
}
