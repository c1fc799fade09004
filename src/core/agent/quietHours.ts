/**
 * Quiet hours: a daily window of local time ("22:00-07:00") in which the agent makes no model
 * calls; work that comes up waits for the window to end.
 */

export interface QuietHours {
  /** Minutes after local midnight. */
  start: number;
  end: number;
}

const TIME = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/;

/** Parses "HH:MM-HH:MM"; undefined for an empty or malformed setting. */
export function parseQuietHours(spec: string): QuietHours | undefined {
  const m = TIME.exec(spec);
  if (!m) return undefined;
  const [h1, m1, h2, m2] = m.slice(1).map(Number);
  if (h1 > 23 || h2 > 24 || m1 > 59 || m2 > 59) return undefined;
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  return start === end ? undefined : { start, end };
}

/** When the quiet window holding `now` ends, or undefined when `now` is outside it. */
export function quietUntil(now: Date, q: QuietHours): Date | undefined {
  const minute = now.getHours() * 60 + now.getMinutes();
  const inside = q.start < q.end ? minute >= q.start && minute < q.end : minute >= q.start || minute < q.end;
  if (!inside) return undefined;
  const end = new Date(now);
  end.setHours(Math.floor(q.end / 60), q.end % 60, 0, 0);
  if (end <= now) end.setDate(end.getDate() + 1);
  return end;
}
