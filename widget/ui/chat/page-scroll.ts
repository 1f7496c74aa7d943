/**
 * On a phone the open panel fills the screen (panel.styles.ts, `max-width: 480px`); the host
 * page behind it must not scroll under the customer's finger, and must get its own scrolling
 * back, as it was, when the panel closes. On a larger screen the page is never touched.
 * Through the CSSOM (allowed under a strict style-src), on the root element only.
 */
export const FULL_SCREEN = '(max-width: 480px)';

let saved: { overflow: string; overscroll: string } | null = null;

/** Locks (true) or restores (false) the host page's scrolling; repeated calls change nothing. */
export function lockPageScroll(lock: boolean): void {
  const root = document.documentElement.style;
  if (lock && !saved) {
    saved = { overflow: root.overflow, overscroll: root.overscrollBehavior };
    root.overflow = 'hidden';
    root.overscrollBehavior = 'none';
  } else if (!lock && saved) {
    root.overflow = saved.overflow;
    root.overscrollBehavior = saved.overscroll;
    saved = null;
  }
}
