/** Arrow keys move the choice within a radio group, as they do in native radio buttons. */
export function moveWithArrows<T extends string>(event: React.KeyboardEvent, options: readonly T[], current: T | null | undefined, choose: (value: T) => void): void {
  const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
  if (!step) return;
  event.preventDefault();
  const at = current ? options.indexOf(current) : -1;
  const next = options[(at + step + options.length) % options.length] as T;
  choose(next);
  const group = event.currentTarget as HTMLElement;
  requestAnimationFrame(() => group.querySelector<HTMLElement>('[aria-checked="true"]')?.focus());
}
