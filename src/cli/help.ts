/** `--help` for every command. */
import { settingsHelp } from './settingsHelp';

/** Every exit code of every command; docs/headless.md's table lists each (a test keeps the two equal). */
export const EXIT = { none: 0, found: 1, usage: 2, incomplete: 3, busy: 4, stateFolder: 5, internal: 70 } as const;

const SETTINGS = `Settings: the VS Code settings' names without "nightshift.", from your own config file
(~/.config/nightshift/config.json), the workspace's .nightshift/config.json, then flags: --model
MiniMax-M2.7 --baseUrl http://127.0.0.1:8080/v1 --budget.annualUsd 500 --checkCommands '["npm run lint"]'.
A repository's config file may only tighten yours: lower budget amounts, more exclusions; it never
chooses the model or profile, the year's start, your quiet hours, where code and keys go, or
raises a limit. A name that is no setting, or a value of the wrong type, is named and ignored.
Keys from the environment: NIGHTSHIFT_API_KEY_<PROFILE>, the backend's own variable
(MINIMAX_API_KEY, OPENROUTER_API_KEY, …), then NIGHTSHIFT_API_KEY; or <VARIABLE>_FILE naming a
file that holds the key. They are taken out of the environment before anything runs.
State (the spend ledger every window and host share, each workspace's proposals) lives in
$NIGHTSHIFT_STATE_DIR, else ~/.local/state/nightshift ($XDG_STATE_HOME).
Trust: a repository is untrusted until you say so (nightshift trust <folder>, or --trust for one
run). Untrusted, none of its code runs: not its tests, not the check commands its config file names.`;

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
  service install|uninstall|status [folder]
                        run watch on a folder as a systemd user unit or launchd agent
  trust [folder]        trust a repository to run its tests and the check commands it names
  untrust [folder]      take that back

Run nightshift <command> --help for its options, nightshift help settings for every setting
(nightshift --version: the version). Every command exits 2 on bad usage, 5 when the
state folder cannot be used (a full disk, a folder where a file belongs, no write access: the
message names the path and the fix) and 70 on an unexpected error.

${SETTINGS}`,
  watch: `nightshift watch [folder] [--trust] [--json] [--quiet] [--verbose] [settings…]

Runs the engine on the folder (default: the current one) until SIGINT or SIGTERM: a native
file watcher (the privacy rules' ignores apply), the workspace's own TypeScript for diagnostics,
the check commands' output for other languages, marker comments, commits, and an idle sweep
after idleSweepMinutes without a change. Prints one line per event (--json: JSON lines).
A second watch on the same workspace refuses to start, names the first and exits 4 (with
--service, as a service manager runs it: exits 0, so it is not restarted in a loop). Editors on
the workspace attach to it (its socket is in the workspace's state folder).

${SETTINGS}`,
  scan: `nightshift scan [folder] [--trust] [--format json|sarif|patch] [--output FILE] [--quiet] [settings…]

One pass over the folder's problems now (TypeScript, then the check commands), then exit. The
report (default json) goes to stdout or FILE: every open proposal, what could not be done and why.
Progress goes to stderr.

Exit codes: 0 nothing to propose · 1 proposals found · 2 bad usage · 3 not all done (no key,
backend unreachable, budget, paused; the report says why) · 4 another Nightshift engine works
on this workspace · 5 the state folder cannot be used (the message names the path and the fix)
· 70 an unexpected error. Files skipped (not UTF-8, too large, excluded) are listed with why.

${SETTINGS}`,
  proposals: `nightshift proposals [list|show ID|apply ID|reject ID] [--workspace DIR] [--json] [--reason TEXT]

list     the open proposals (ID, kind, what the check proved, cost, file): tested, type-checked,
         not checked, silences the error or check failed
show ID  one proposal's diff (an ID prefix is enough)
apply ID writes the proposal to its files, only onto the content it was made for
reject ID rejects it (--reason is kept with the decision)
When a watch daemon serves the workspace, apply and reject go through it.`,
  budget: `nightshift budget [folder] [--json] [settings…]

This budget year's spend from the shared ledger: today, month, year, pace, runway, by model, and
the limits in force, each with who set it (your config file, a flag, the repository's config file
where it is tighter than yours, or a team policy).`,
  policy: `nightshift policy [folder] [--json]

The effective team policy: the organisation's (NIGHTSHIFT_ORG_POLICY or organizationPolicy, a
path or an https URL), the repository's .nightshift/policy.json and your settings, merged rule by
rule with the most restrictive value winning. Each rule is shown with who set it: the policy file
and line, your config file, a flag, or the repository's .nightshift/config.json where it tightened
yours. Exits 3 when a layer cannot be used (background work is then paused), with file:line:col.`,
  status: `nightshift status [folder] [--json]

Whether an engine (a VS Code window or nightshift watch) works on the workspace, whether you
trust it, its proposals waiting, and today's spend.`,
  trust: `nightshift trust [folder]

Trusts the folder (default: the current one): its absolute real path goes into "trustedFolders" in
your own config file (~/.config/nightshift/config.json, $XDG_CONFIG_HOME; created if missing,
other keys kept). Then scan and watch may run the repository's own tests and the check commands
its .nightshift/config.json names. Its config file still only tightens your settings.
--trust on scan or watch trusts a folder for that run only.`,
  service: `nightshift service install|uninstall|status [folder] [--dry-run] [--key-file FILE]

install    writes a service that runs "nightshift watch <folder> --service" in your session and
           starts it, now and at each log in: a systemd user unit
           (~/.config/systemd/user/nightshift-<name>-<hash>.service, then systemctl --user
           daemon-reload and enable --now) or a launchd agent
           (~/Library/LaunchAgents/dev.nightshift.<name>-<hash>.plist, then launchctl bootstrap
           gui/<uid>), with this node, this CLI and your state folder. --key-file names a file
           holding the API key (a systemd credential; NIGHTSHIFT_API_KEY_FILE for launchd).
uninstall  stops it and removes the file
status     whether it is installed and what the service manager says of it
--dry-run  prints what would be written and run, and does nothing
Exit 4 (an editor window holds the workspace) does not restart it. Exits 3 when the file was
written but the service manager could not load it (the message says what to run).`,
  settings: settingsHelp(),
  untrust: `nightshift untrust [folder]

Takes the folder out of "trustedFolders" in your own config file: none of its code runs again.`,
};
