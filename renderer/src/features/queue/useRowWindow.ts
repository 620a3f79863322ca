/**
 * Which rows of a long list to put in the DOM: those in view plus a margin, with the space of
 * the rest kept by spacers, so a queue of 20,000 referrals scrolls like one of 20. Rows have
 * one fixed height. The selected row is always in view: the list scrolls just enough to show it.
 */
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

export const QUEUE_ROW_HEIGHT = 40;
/** Rows drawn beyond each edge of the view, so a quick j or k never shows a gap. */
const OVERSCAN = 12;

export interface RowWindow {
  scroller: RefObject<HTMLDivElement | null>;
  first: number;
  /** One past the last row drawn. */
  end: number;
  spaceBefore: number;
  spaceAfter: number;
}

/** Where the list's top must be for the selected row to show, moving as little as possible from `top`. */
export function topShowing(top: number, selected: number, rowsHeight: number): number {
  const rowTop = selected * QUEUE_ROW_HEIGHT;
  if (rowTop < top) return rowTop;
  if (rowTop + QUEUE_ROW_HEIGHT > top + rowsHeight) return rowTop + QUEUE_ROW_HEIGHT - rowsHeight;
  return top;
}

export function useRowWindow(count: number, headerHeight: number, selected: number): RowWindow {
  const scroller = useRef<HTMLDivElement>(null);
  // `followed` is the selection the list had scrolled to show when it was last measured: a new
  // selection is brought into view; scrolling by wheel or bar afterwards is left alone.
  const [view, setView] = useState({ top: 0, height: 1000, followed: -1 });
  const latestSelected = useRef(selected);
  useEffect(() => {
    latestSelected.current = selected;
  }, [selected]);

  const hasRows = count > 0; // the scroller exists only while there are rows
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = (): void => setView({ top: el.scrollTop, height: el.clientHeight, followed: latestSelected.current });
    // The observer reports once at the start, then on every resize.
    const resize = new ResizeObserver(measure);
    resize.observe(el);
    el.addEventListener('scroll', measure, { passive: true });
    return () => {
      resize.disconnect();
      el.removeEventListener('scroll', measure);
    };
  }, [hasRows]);

  const top = count === 0 ? 0 : view.followed === selected ? view.top : topShowing(view.top, selected, view.height - headerHeight);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && Math.abs(el.scrollTop - top) >= 1) el.scrollTop = top;
  }, [top]);

  const first = Math.max(0, Math.floor(top / QUEUE_ROW_HEIGHT) - OVERSCAN);
  const end = Math.min(count, Math.ceil((top + view.height) / QUEUE_ROW_HEIGHT) + OVERSCAN);
  return { scroller, first, end, spaceBefore: first * QUEUE_ROW_HEIGHT, spaceAfter: Math.max(0, count - end) * QUEUE_ROW_HEIGHT };
}
