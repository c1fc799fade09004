/**
 * The one gate every model call passes for money. It paces the annual budget (a linear allowance
 * plus a burst; unused allowance carries forward), keeps an escalation share background work
 * cannot touch, reserves each call's worst case before it is made and settles the real cost
 * after — so no call starts that a cap cannot cover, however many run at once; only a backend that
 * charges more than a call's worst case takes recorded spend past a cap (booked as charged; the
 * agent then pauses) — and lands softly:
 * warn, trigger less, local backends only, pause. It never cuts off a call already running.
 * Money is counted in integer nano-dollars, so "0 cents over" is exact. Days are UTC days.
 */
import { formatUsdAlike } from '../../shared/format';
import type { CallRole } from './ledgerEntry';
import type { DaySpend } from './ledgerAggregate';
import { allowanceAt, budgetYearAt, dayKey, nextUtcMidnight, nextUtcMonth, timeAllowanceReaches, type BudgetYear } from './budgetYear';
import { settingDefault } from '../../shared/settingsSchema';

export interface BudgetSettings {
  annualUsd: number;
  /** 1–12: the month the budget year starts (1: calendar year). */
  yearStartMonth: number;
  /** Share of the annual budget kept for escalations (0–1). */
  escalationShare: number;
  /** Days of allowance that may be spent ahead of pace. */
  burstDays: number;
  dailyCapUsd: number | null;
  /** A single call whose worst case exceeds this waits for the user's OK. */
  askAboveUsd: number | null;
  /** At most this many escalated calls in a calendar month (UTC); null: no limit. */
  maxEscalationsPerMonth?: number | null;
  /** Who set a limit when a team policy did ("set by .nightshift/policy.json:4:5 (budget.dailyCapUsd, repository policy)"): named in refusals. */
  setBy?: Partial<Record<'annualUsd' | 'escalationShare' | 'dailyCapUsd' | 'askAboveUsd' | 'maxEscalationsPerMonth', string>>;
}

/** The settings' defaults (shared/settingsSchema.ts), as the governor takes them. */
export const DEFAULT_BUDGET: BudgetSettings = {
  annualUsd: settingDefault('budget.annualUsd'),
  yearStartMonth: settingDefault('budget.yearStartMonth'),
  escalationShare: settingDefault('budget.escalationShare'),
  burstDays: settingDefault('budget.burstDays'),
  dailyCapUsd: settingDefault('budget.dailyCapUsd'),
  askAboveUsd: settingDefault('budget.askAboveUsd'),
};

export type LandingStep = 'normal' | 'throttled' | 'localOnly' | 'paused';
export type Priority = 'high' | 'normal' | 'low';

export interface ReserveRequest {
  role: CallRole;
  worstCaseUsd: number;
  priority: Priority;
  /** A local backend: free, never held back by money. */
  local: boolean;
  /** The user already agreed to this call's cost. */
  approved?: boolean;
  /** What the call is for: its ledger entry if its process dies before booking it. */
  call?: { taskId: string; taskKind: string; backend: string; model: string };
}

export type ReserveResult =
  | { ok: true; id: number }
  /** `gateway`: refused on the team gateway's last reading (read it again before giving up). */
  | { ok: false; reason: string; step: LandingStep; retryAt?: number; needsApproval?: boolean; gateway?: boolean };

export interface BudgetNotice {
  kind: 'warn50' | 'warn80' | 'throttled' | 'localOnly' | 'paused' | 'clockBack' | 'overspent';
  message: string;
}

export interface BudgetStatus {
  year: BudgetYear;
  step: LandingStep;
  spentTodayUsd: number;
  spentYearUsd: { background: number; escalation: number };
  backgroundBudgetUsd: number;
  escalationBudgetUsd: number;
  /** Background allowance to date, burst excluded. */
  allowanceToDateUsd: number;
  reservedUsd: number;
}

const NANO = 1e9;
const toNano = (usd: number) => Math.round(usd * NANO);
const toNanoUp = (usd: number) => Math.ceil(usd * NANO);
const toUsd = (nano: number) => nano / NANO;
/** A call the daily cap would take but for the reservations of calls under way: asked again this soon (most settle for less than their worst case). */
const HELD_BY_CALLS_RETRY_MS = 30_000;
/** Amounts of one sentence, with digits enough to tell them apart. */
const usd = (...nanos: number[]) => formatUsdAlike(...nanos.map(toUsd));

interface Held {
  role: CallRole;
  nano: number;
}

export class BudgetGovernor {
  /** Spend on record per UTC day, in nano-dollars, and that day's escalated calls. */
  private readonly days = new Map<string, { background: number; escalation: number; escalationCalls: number }>();
  private readonly held = new Map<number, Held>();
  /** Reservations other processes hold against the same ledger (see sharedReservations.ts). */
  private outside: Held[] = [];
  private nextId = 1;
  private lastNow = 0;
  private notices: BudgetNotice[] = [];
  private readonly noticed = new Set<string>();
  private lastStep: LandingStep = 'normal';
  /**
   * What the team's gateway said was left when it was last read, and the spend on record when that
   * read started: what was booked since (by any process: the shared ledger is re-read before each
   * reservation) comes off it, and so does every reservation in flight (see gatewayWatch.ts).
   */
  private gateway: { nano: number; bookedAtRead: number; label: string } | undefined;
  /** All spend on record, in nano-dollars: every loaded day plus what this process settled since. */
  private booked = 0;
  /** This budget year's totals, kept up to date so a reservation costs O(1). */
  private totals: { yearStart: number; background: number; escalation: number } | undefined;

  constructor(
    private settings: BudgetSettings,
    private readonly clock: () => number,
    private readonly hasLocalBackend: () => boolean = () => false,
  ) {}

  /** Replaces the spend on record with the ledger's sums (per UTC day and role). */
  loadSpend(days: Record<string, DaySpend>): void {
    this.days.clear();
    this.totals = undefined;
    this.booked = 0;
    for (const [day, s] of Object.entries(days)) {
      this.days.set(day, { background: toNano(s.background), escalation: toNano(s.escalation), escalationCalls: s.escalationCalls ?? 0 });
      this.booked += toNano(s.background) + toNano(s.escalation);
    }
    this.checkOverspent(this.now());
  }

  updateSettings(settings: BudgetSettings): void {
    this.settings = settings;
    this.checkOverspent(this.now());
  }

  reserve(req: ReserveRequest): ReserveResult {
    const now = this.now();
    const amount = req.local ? 0 : toNanoUp(Math.max(0, req.worstCaseUsd));
    const step = this.step(now);
    const deny = (reason: string, retryAt?: number, extra: { needsApproval?: boolean; gateway?: boolean } = {}): ReserveResult => ({ ok: false, reason, step, retryAt, ...extra });
    const most = this.settings.maxEscalationsPerMonth;
    if (req.role === 'escalation' && most != null) {
      const made = this.escalationsThisMonth(now) + this.heldCount('escalation');
      if (made >= most) return deny(`${made} escalated call(s) this month: the limit is ${most} a month.${this.setBy('maxEscalationsPerMonth')}`, nextUtcMonth(now));
    }
    if (amount > 0) {
      const year = this.year(now);
      if (req.role === 'background') {
        const limit = this.limit(now);
        const committed = this.spent(year, 'background') + this.reserved('background');
        const retryAt = () => this.whenAllowanceReaches(committed + amount, year);
        if (step === 'paused' || step === 'localOnly') return deny(this.capMessage(step), retryAt());
        if (step === 'throttled' && req.priority !== 'high') return deny('Spending is ahead of pace: only high-priority work runs until it is back on pace.', this.whenAllowanceReaches(this.spent(year, 'background'), year, this.settings.burstDays / 2));
        if (committed + amount > limit) return deny(`This call (up to ${usd(amount)[0]}) would go past today's allowance.`, retryAt());
      } else {
        const budget = this.escalationBudget();
        const committed = this.spent(year, 'escalation') + this.reserved('escalation');
        if (committed + amount > budget) {
          const [share, left, most] = usd(budget, Math.max(0, budget - committed), amount);
          return deny(`The escalation share (${share} a year) has ${left} left; this call may cost up to ${most}.${this.setBy('escalationShare')}`, year.end);
        }
      }
      const gatewayLeft = this.gatewayLeft();
      if (gatewayLeft !== undefined && amount > gatewayLeft) {
        const [left, most] = usd(Math.max(0, gatewayLeft), amount);
        return deny(`The team's budget on ${this.gateway!.label} has ${left} left; this call may cost up to ${most}.`, undefined, { gateway: true });
      }
      const cap = this.settings.dailyCapUsd;
      if (cap !== null && this.spentOn(dayKey(now)) + this.reserved() + amount > toNano(cap)) {
        // Calls under way hold the rest at their worst case and most settle for less: try again when they have, not tomorrow.
        if (this.spentOn(dayKey(now)) + amount <= toNano(cap)) return deny(`The rest of the daily cap of ${usd(toNano(cap))[0]} is held by calls under way (${usd(this.reserved())[0]} at their worst case).${this.setBy('dailyCapUsd')}`, now + HELD_BY_CALLS_RETRY_MS);
        return deny(`The daily cap of ${usd(toNano(cap))[0]} is reached.${this.setBy('dailyCapUsd')}`, nextUtcMidnight(now));
      }
      const ask = this.settings.askAboveUsd;
      if (ask !== null && amount > toNano(ask) && !req.approved) {
        const [most, threshold] = usd(amount, toNano(ask));
        return deny(`This call may cost up to ${most}, above your "ask above" threshold of ${threshold}.${this.setBy('askAboveUsd')}`, undefined, { needsApproval: true });
      }
    }
    const id = this.nextId++;
    this.held.set(id, { role: req.role, nano: amount });
    return { ok: true, id };
  }

  /** Records a reserved call's real cost (at settlement time) and frees its reservation. */
  settle(id: number, actualUsd: number): void {
    const held = this.held.get(id);
    if (!held) return;
    this.held.delete(id);
    const day = dayKey(this.now());
    const s = this.days.get(day) ?? { background: 0, escalation: 0, escalationCalls: 0 };
    const nano = toNano(Math.max(0, actualUsd));
    s[held.role] += nano;
    if (held.role === 'escalation') s.escalationCalls++;
    this.booked += nano;
    this.days.set(day, s);
    if (this.totals && this.totals.yearStart === this.year(this.now()).start) this.totals[held.role] += nano;
    this.observe(this.now());
  }

  /** What other processes sharing this ledger have reserved and not yet settled. */
  setOutsideReservations(held: ReadonlyArray<{ role: CallRole; nano: number }>): void {
    this.outside = held.map(({ role, nano }) => ({ role, nano }));
  }

  /**
   * What the team's gateway says is left (USD), or undefined when no gateway budget binds.
   * `bookedAtRead`: `gatewayMark()` taken when the read started (default: now), so what was booked
   * while the answer was on its way is not counted as still there.
   */
  setGatewayRemaining(remaining: { usd: number; label: string; bookedAtRead?: number } | undefined): void {
    this.gateway = remaining && { nano: toNano(Math.max(0, remaining.usd)), bookedAtRead: remaining.bookedAtRead ?? this.booked, label: remaining.label };
  }

  /** The spend on record now: take it just before reading the gateway, and hand it back with the reading. */
  gatewayMark(): number {
    return this.booked;
  }

  /** What the gateway's last reading leaves for a new call: less what was booked since it was read, and less every reservation in flight (here and in other processes). */
  private gatewayLeft(): number | undefined {
    if (!this.gateway) return undefined;
    return this.gateway.nano - Math.max(0, this.booked - this.gateway.bookedAtRead) - this.reserved();
  }

  /** A reservation's amount, to publish it to other processes. */
  reservedAmount(id: number): { role: CallRole; nano: number } | undefined {
    const h = this.held.get(id);
    return h && { ...h };
  }

  /** Frees a reservation whose call was never made. */
  release(id: number): void {
    this.held.delete(id);
  }

  status(): BudgetStatus {
    const now = this.now();
    const year = this.year(now);
    return {
      year,
      step: this.step(now),
      spentTodayUsd: toUsd(this.spentOn(dayKey(now))),
      spentYearUsd: { background: toUsd(this.spent(year, 'background')), escalation: toUsd(this.spent(year, 'escalation')) },
      backgroundBudgetUsd: toUsd(this.backgroundBudget()),
      escalationBudgetUsd: toUsd(this.escalationBudget()),
      allowanceToDateUsd: toUsd(allowanceAt(now, year, this.backgroundBudget(), 0)),
      reservedUsd: toUsd(this.reserved()),
    };
  }

  /** Notices raised since the last call, each once (per budget year where it applies). */
  takeNotices(): BudgetNotice[] {
    this.observe(this.now());
    const out = this.notices;
    this.notices = [];
    return out;
  }

  private now(): number {
    const t = this.clock();
    if (t < this.lastNow - 60_000) this.notice('clockBack', `clock-${this.lastNow}`, 'The system clock moved backwards; Nightshift keeps pacing from the latest time it saw, so the allowance never shrinks.');
    this.lastNow = Math.max(this.lastNow, t);
    return this.lastNow;
  }

  private year(now: number): BudgetYear {
    return budgetYearAt(now, this.settings.yearStartMonth);
  }

  private backgroundBudget(): number {
    return toNano(Math.max(0, this.settings.annualUsd) * (1 - this.share()));
  }

  private escalationBudget(): number {
    return toNano(Math.max(0, this.settings.annualUsd) * this.share());
  }

  private share(): number {
    return Math.min(1, Math.max(0, this.settings.escalationShare));
  }

  /** Background money allowed by `now`: pace plus burst. */
  private limit(now: number): number {
    return Math.floor(allowanceAt(now, this.year(now), this.backgroundBudget(), this.settings.burstDays));
  }

  private whenAllowanceReaches(nano: number, year: BudgetYear, burstDays = this.settings.burstDays): number {
    return timeAllowanceReaches(nano, year, this.backgroundBudget(), burstDays) ?? year.end;
  }

  private spent(year: BudgetYear, role: CallRole): number {
    if (this.totals?.yearStart !== year.start) {
      const from = dayKey(year.start);
      const to = dayKey(year.end);
      this.totals = { yearStart: year.start, background: 0, escalation: 0 };
      for (const [day, s] of this.days) {
        if (day < from || day >= to) continue;
        this.totals.background += s.background;
        this.totals.escalation += s.escalation;
      }
    }
    return this.totals[role];
  }

  /** Escalated calls booked since the start of this UTC month. */
  private escalationsThisMonth(now: number): number {
    const month = dayKey(now).slice(0, 7);
    let calls = 0;
    for (const [day, s] of this.days) if (day.startsWith(month)) calls += s.escalationCalls;
    return calls;
  }

  /** Calls in flight for a role, here and in other processes. */
  private heldCount(role: CallRole): number {
    let n = 0;
    for (const h of this.held.values()) if (h.role === role) n++;
    for (const h of this.outside) if (h.role === role) n++;
    return n;
  }

  private spentOn(day: string): number {
    const s = this.days.get(day);
    return s ? s.background + s.escalation : 0;
  }

  private reserved(role?: CallRole): number {
    let total = 0;
    for (const h of this.held.values()) if (!role || h.role === role) total += h.nano;
    for (const h of this.outside) if (!role || h.role === role) total += h.nano;
    return total;
  }

  private step(now: number): LandingStep {
    const year = this.year(now);
    const spent = this.spent(year, 'background');
    if (spent + this.reserved('background') >= this.limit(now)) return this.hasLocalBackend() ? 'localOnly' : 'paused';
    // Ahead of pace by more than half the burst: only high-priority work spends the rest of it.
    if (spent > allowanceAt(now, year, this.backgroundBudget(), this.settings.burstDays / 2)) return 'throttled';
    return 'normal';
  }

  private capMessage(step: LandingStep): string {
    return (step === 'localOnly' ? 'The background allowance to date is used up: only local backends run until it grows again.' : 'The background allowance to date is used up: background work is paused until it grows again.') + this.setBy('annualUsd');
  }

  /** " The limit is set by …" when a team policy set it. */
  private setBy(limit: keyof NonNullable<BudgetSettings['setBy']>): string {
    const by = this.settings.setBy?.[limit];
    return by ? ` The limit is set by ${by}.` : '';
  }

  /** Raises the notices the current spend calls for. */
  private observe(now: number): void {
    const year = this.year(now);
    const spent = this.spent(year, 'background');
    const budget = this.backgroundBudget();
    const y = new Date(year.start).getUTCFullYear();
    for (const pct of [50, 80] as const) {
      if (budget > 0 && spent >= (budget * pct) / 100) {
        const [part, whole] = usd(spent, budget);
        this.notice(`warn${pct}`, `warn${pct}-${y}`, `Nightshift has spent ${pct}% of this year's background budget (${part} of ${whole}).`);
      }
    }
    const step = this.step(now);
    if (step !== this.lastStep && step !== 'normal') {
      const message = step === 'throttled' ? 'Spending is ahead of pace: Nightshift now triggers only high-priority work until it is back on pace.' : this.capMessage(step);
      this.notices.push({ kind: step, message });
    }
    this.lastStep = step;
  }

  private checkOverspent(now: number): void {
    const year = this.year(now);
    const spent = this.spent(year, 'background');
    const budget = this.backgroundBudget();
    if (spent >= budget && spent > 0) {
      const [whole, gone] = usd(budget, spent);
      this.notice('overspent', `overspent-${budget}-${year.start}`, `The background budget (${whole} this year) is at or below what was already spent (${gone}): background work stays paused, or local-only, until the budget is raised or the next budget year starts.`);
    }
    this.observe(now);
  }

  private notice(kind: BudgetNotice['kind'], key: string, message: string): void {
    if (this.noticed.has(key)) return;
    this.noticed.add(key);
    this.notices.push({ kind, message });
  }
}
