/** Small pieces every part of the page shares: tone icons and badges (colour and words), safe links. */
import type { ComponentChildren } from 'preact';
import type { Badge, Tone } from '../board';

/** A shape per tone, so a cell's state reads without colour too (and in a black-and-white print). */
export const TONE_ICON: Readonly<Record<Tone, string>> = {
  good: '✓',
  info: '●',
  warn: '▲',
  bad: '✗',
  none: '–',
};

export function BadgeView({ badge }: { badge: Badge }) {
  return (
    <li class={`badge tone-${badge.tone}`}>
      <span aria-hidden="true">{TONE_ICON[badge.tone]} </span>
      {badge.text}
    </li>
  );
}

/** Only http(s) links become links: a ledger value such as `javascript:…` stays text. */
export function SafeLink({ href, children }: { href: string | null; children: ComponentChildren }) {
  if (!href || !/^https?:\/\//i.test(href)) return <>{children}</>;
  return (
    <a href={href} rel="noopener noreferrer">
      {children}
    </a>
  );
}
