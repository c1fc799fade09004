/** `--help` for every command. */
export const EXIT = { none: 0, found: 1, usage: 2, incomplete: 3, busy: 4 } as const;

const SETTINGS = `Settings: the VS Code settings' names without "nightshift.", from .nightshift/config.json in the
workspace, then flags: --model MiniMax-M2.7 --baseUrl http://127.0.0.1:8080/v1 --budget.annualUsd 500
--checkCommands '["npm run lint"]'. Keys from the environment only: NIGHTSHIFT_API_KEY_<PROFILE>,
the backend's own variable (MINIMAX_API_KEY, OPENROUTER_API_KEY, …), then NIGHTSHIFT_API_KEY.
State (the spend ledger every window and host share, each workspace's proposals) lives in
$NIGHTSHIFT_STATE_DIR, else ~/.local/state/nightshift ($XDG_STATE_HOME).
A repository's own tests check proposals only where you trust it: --trust, or its absolute path in
"trustedFolders" in your own config file (~/.config/nightshift/config.json).`;

export const HELP: Record<string, string> = {
  main: `nightshift — the Nightshift background agent, without an editor

Usage: nightshift <command> [options]

Commands:
  watch [folder]        work on a workspace until stopped (Ctrl+C); editors attach to it
  scan [folder]         one pass over today's problems, then exit with a report
  proposals [list|show ID|apply ID|reject ID]
                        the proposals waiting in a workspace
  budget                this budget year's spend and pace
  status                who works on a workspace, and the budget in one line
  policy                the team policy in force: each rule, its value, who set it

Run nightshift <command> --help for its options.

${SETTINGS}`,
  watch: `nightshift watch [folder] [--trust] [--json] [--quiet] [--verbose] [settings…]

Runs the engine on the folder (default: the current one) until SIGINT or SIGTERM: a native
file watcher (the privacy rules' ignores apply), the workspace's own TypeScript for diagnostics,
the check commands' output for other languages, marker comments, commits, and an idle sweep
after idleSweepMinutes without a change. Prints one line per event (--json: JSON lines).
A second watch on the same workspace refuses to start and names the first. Editors on the
workspace attach to it (its socket is in the workspace's state folder).

${SETTINGS}`,
  scan: `nightshift scan [folder] [--trust] [--format json|sarif|patch] [--output FILE] [--quiet] [settings…]

One pass over the folder's problems now (TypeScript, then the check commands), then exit. The
report (default json) goes to stdout or FILE: every open proposal, what could not be done and why.
Progress goes to stderr.

Exit codes: 0 nothing to propose · 1 proposals found · 2 bad usage · 3 not all done (no key,
backend unreachable, budget, paused; the report says why) · 4 another Nightshift engine works
on this workspace.

${SETTINGS}`,
  proposals: `nightshift proposals [list|show ID|apply ID|reject ID] [--workspace DIR] [--json] [--reason TEXT]

list     the open proposals (ID, kind, what the check proved, cost, file): tested, type-checked,
         not checked, silences the error or check failed
show ID  one proposal's diff (an ID prefix is enough)
apply ID writes the proposal to its files, only onto the content it was made for
reject ID rejects it (--reason is kept with the decision)
When a watch daemon serves the workspace, apply and reject go through it.`,
  budget: `nightshift budget [--json] [--workspace DIR] [settings…]

This budget year's spend from the shared ledger: today, month, year, pace, runway, by model.`,
  policy: `nightshift policy [folder] [--json]

The effective team policy: the organisation's (NIGHTSHIFT_ORG_POLICY or organizationPolicy, a
path or an https URL), the repository's .nightshift/policy.json and your settings, merged rule by
rule with the most restrictive value winning. Each rule is shown with the file and line that set
it. Exits 3 when a layer cannot be used (background work is then paused), with file:line:col.`,
  status: `nightshift status [--json] [--workspace DIR]

Whether an engine (a VS Code window or nightshift watch) works on the workspace, its
proposals waiting, and today's spend.`,
};
