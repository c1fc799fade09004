/**
 * The team's gateway figures beside this machine's ledger, for the Budget view: what the gateway
 * counts, what is left, and a flag when the two disagree by more than rounding. The gateway is the
 * truth for money; the gap says where to look (calls made elsewhere with the same key, calls that
 * went round the gateway, counts that start on different dates).
 */
import type { GatewayView } from '../../shared/types';
import type { GatewayBudget } from '../providers/gatewayBudget';
import { formatUsd } from '../../shared/format';

/** A gap below this, or below this share of the ledger's figure, is rounding and timing. */
const TOLERANCE_USD = 0.5;
const TOLERANCE_SHARE = 0.05;

export interface GatewayReading {
  label: string;
  budget: GatewayBudget;
  readAt: Date;
  /** The last read failed: why. */
  stale?: string;
}

export function gatewayView(reading: GatewayReading, ledgerYearUsd: number): GatewayView {
  const { budget } = reading;
  const gap = budget.spentUsd === null ? null : budget.spentUsd - ledgerYearUsd;
  const tolerance = Math.max(TOLERANCE_USD, ledgerYearUsd * TOLERANCE_SHARE);
  let gapNote: string | undefined;
  if (gap !== null && gap < -tolerance) {
    gapNote = `This machine's ledger counts ${formatUsd(-gap)} more this year than the gateway: some calls may not have gone through it, or its count starts later.`;
  } else if (gap !== null && gap > tolerance && budget.scope === 'key') {
    gapNote = `The gateway counts ${formatUsd(gap)} more on this key than this machine's ledger this year: the key is used elsewhere too, or its count started before this budget year.`;
  }
  return {
    label: reading.label,
    scope: budget.scope,
    spentUsd: budget.spentUsd,
    limitUsd: budget.limitUsd,
    remainingUsd: budget.remainingUsd,
    readAt: reading.readAt.toISOString(),
    ...(reading.stale ? { stale: reading.stale } : {}),
    gapUsd: gap === null ? null : Math.round(gap * 1e6) / 1e6,
    ...(gapNote ? { gapNote } : {}),
  };
}
