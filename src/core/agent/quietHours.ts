/**
 * When the agent may work: quiet hours (a daily window of local time, "22:00-07:00", with no model
 * calls), working hours (the headless host's window: outside it is quiet), and a team policy that
 * holds work while the user is at the keyboard. Work that comes up waits.
 */
import type { AgentSettings } from './agentHost';

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

const list = (w: string | readonly string[] | undefined): string[] => (typeof w === 'string' ? (w ? [w] : []) : [...(w ?? [])]);

/**
 * Why the queue waits now, and until when (undefined: until the user steps away, or for good when
 * the working windows never overlap); undefined when nothing in the schedule holds it. Every quiet
 * window holds (each layer's and the user's), and work happens only inside every working window.
 */
export function scheduleHold(settings: Pick<AgentSettings, 'quietHours' | 'workHours' | 'onlyWhenIdle'>, now: Date, userActive: boolean): { until?: Date; why: string } | undefined {
  const time = (d: Date) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const quiet = list(settings.quietHours).flatMap((spec) => parseQuietHours(spec) ?? []);
  const workSpecs = list(settings.workHours).filter((spec) => parseQuietHours(spec));
  // Outside a working window is a quiet window from its end to its start.
  const holds = [
    ...quiet.map((q) => ({ q, why: 'Quiet hours' })),
    ...workSpecs.map((spec) => {
      const w = parseQuietHours(spec)!;
      return { q: { start: w.end, end: w.start }, why: `Outside the working hours (${spec})` };
    }),
  ];
  // Windows can chain (one ends where another begins): move on until none holds, two days at most.
  let at = now;
  let why: string | undefined;
  for (let step = 0; step <= holds.length; step++) {
    const ends = holds.flatMap((h) => {
      const end = quietUntil(at, h.q);
      return end ? [{ end, why: h.why }] : [];
    });
    if (ends.length === 0) break;
    const last = ends.reduce((a, b) => (b.end > a.end ? b : a));
    why ??= last.why;
    at = last.end;
    if (step === holds.length || at.getTime() - now.getTime() > 2 * 86_400_000) {
      return { why: `The working hours (${workSpecs.join(' and ')}) and quiet hours leave no time to work` };
    }
  }
  if (why) return { until: at, why: `${why} until ${time(at)}` };
  if (settings.onlyWhenIdle && userActive) return { why: 'The team policy runs background work only while you are away from the keyboard' };
  return undefined;
}
