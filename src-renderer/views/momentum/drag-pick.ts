// Pointer handlers for a Momentum plot's hit area that sets the start: a press picks the point under the pointer,
// and so does every move while the button is held (the pointer is captured, so a drag may leave the plot).

export function dragPick(pick: (e: PointerEvent) => void) {
  let dragging = false;
  const stop = () => (dragging = false);
  return {
    onpointerdown: (e: PointerEvent) => {
      dragging = true;
      (e.currentTarget as Element).setPointerCapture?.(e.pointerId);
      pick(e);
    },
    onpointermove: (e: PointerEvent) => {
      if (dragging) pick(e);
    },
    onpointerup: stop,
    onpointercancel: stop,
  };
}
