/** How the board's numbers and times read to people, the same on the page and in Slack. */
import { DAY_MS } from './runs';

/** `6 h`, `1 day`, `2.5 days`. */
export function formatDays(days: number): string {
  if (days < 1) return `${Math.round(days * 24)} h`;
  const rounded = Math.round(days * 10) / 10;
  return `${rounded} day${rounded === 1 ? '' : 's'}`;
}

/** A duration given in hours: `25 min`, `48 h`, `4.5 days`; `–` when there is none. */
export function formatHours(hours: number | null): string {
  if (hours === null) return '–';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 72) return `${Math.round(hours)} h`;
  return formatDays(hours / 24);
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 120) return `${seconds} s`;
  return formatHours(seconds / 3600);
}

export function formatPercent(ratio: number | null): string {
  return ratio === null ? '–' : `${Math.round(ratio * 100)}%`;
}

export function formatPerWeek(perWeek: number): string {
  return `${Math.round(perWeek * 10) / 10}/week`;
}

/** `2026-06-29 12:04 UTC`: one clock for everyone reading a shared page. */
export function formatWhen(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '–';
}

/** `3 h ago`, `2.5 days ago`. */
export function formatAgo(iso: string | null, now: Date): string {
  if (!iso) return '';
  const days = Math.max(0, (now.getTime() - Date.parse(iso)) / DAY_MS);
  return days < 1 / 24 ? `${Math.round(days * 1440)} min ago` : `${formatDays(days)} ago`;
}
