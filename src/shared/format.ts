/** Money for people: cents when there are dollars, hundredths of a cent when there are not. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  return `$${usd.toFixed(Math.abs(usd) < 1 ? 4 : 2)}`;
}
