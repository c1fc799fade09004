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

/**
 * Why the queue waits now, and until when (undefined: until the user steps away); undefined when
 * nothing in the schedule holds it.
 */
export function scheduleHold(settings: Pick<AgentSettings, 'quietHours' | 'workHours' | 'onlyWhenIdle'>, now: Date, userActive: boolean): { until?: Date; why: string } | undefined {
  const time = (d: Date) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const quiet = parseQuietHours(settings.quietHours);
  const quietEnd = quiet && quietUntil(now, quiet);
  const work = settings.workHours ? parseQuietHours(settings.workHours) : undefined;
  // Outside the working window is a quiet window from its end to its start.
  const workStart = work && quietUntil(now, { start: work.end, end: work.start });
  const until = [quietEnd, workStart].filter((d): d is Date => d !== undefined).sort((a, b) => b.getTime() - a.getTime())[0];
  if (until) return { until, why: until === quietEnd ? `Quiet hours until ${time(until)}` : `Outside the working hours (${settings.workHours}) until ${time(until)}` };
  if (settings.onlyWhenIdle && userActive) return { why: 'The team policy runs background work only while you are away from the keyboard' };
  return undefined;
}
