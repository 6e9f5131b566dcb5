/** How the board rates a fact: a tone (the page colours it, Slack does not) and its words. */

export type Tone = 'good' | 'info' | 'warn' | 'bad' | 'none';

/** A fact about a cell or an environment, in words; the tone only colours it. */
export interface Badge {
  readonly tone: Tone;
  readonly text: string;
}

const TONE_ORDER: readonly Tone[] = ['none', 'good', 'info', 'warn', 'bad'];

export const worst = (tones: readonly Tone[]): Tone =>
  tones.reduce<Tone>((w, t) => (TONE_ORDER.indexOf(t) > TONE_ORDER.indexOf(w) ? t : w), 'none');
