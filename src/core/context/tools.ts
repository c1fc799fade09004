/**
 * The model's read-only tools, asked for in plain text so every backend can use them (not all
 * local servers support function calling): one request per line, in an answer with no edits.
 *   READ: <path>:<first>-<last>
 *   FIND: <literal text>
 *   DEFINITION: <symbol>
 */
export type ToolRequest = { tool: 'read'; path: string; from: number; to: number } | { tool: 'find'; text: string } | { tool: 'definition'; symbol: string };

/** Requests honoured per step; more are ignored. */
const MAX_REQUESTS_PER_STEP = 4;

export const TOOLS_HELP = `Before answering you may look things up, in at most 3 rounds: answer with only lines like these (no edits), and the results will be sent back:
READ: <path>:<first line>-<last line>
FIND: <exact text to search the workspace for>
DEFINITION: <name of a function, class, type or variable>`;

export function parseToolRequests(answer: string): ToolRequest[] {
  const requests: ToolRequest[] = [];
  for (const raw of answer.split(/\r?\n/)) {
    const line = raw.trim();
    const read = /^READ:\s*(.+?):(\d+)\s*-\s*(\d+)\s*$/i.exec(line);
    if (read) requests.push({ tool: 'read', path: read[1].trim().replace(/^`|`$/g, ''), from: Number(read[2]), to: Number(read[3]) });
    const find = /^FIND:\s*(.+)$/i.exec(line);
    if (find && find[1].trim().length >= 2)
      requests.push({
        tool: 'find',
        text: find[1]
          .trim()
          .replace(/^"(.*)"$/, '$1')
          .slice(0, 200),
      });
    const def = /^DEFINITION:\s*([A-Za-z_$][\w$.]*)\s*$/i.exec(line);
    if (def) requests.push({ tool: 'definition', symbol: def[1] });
    if (requests.length >= MAX_REQUESTS_PER_STEP) break;
  }
  return requests;
}
