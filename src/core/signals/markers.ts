/**
 * Marker comments: `nightshift: <instruction>` in a comment asks the agent for a change; so do
 * `TODO:` and `FIXME:` comments when the user opts in. Found in any language's line or block
 * comments (//, #, --, ;, /* … *\/, <!-- … -->).
 */

export interface Marker {
  /** Zero-based line. */
  line: number;
  instruction: string;
}

const MARKER = /(?:^|\s)(?:\/\/+|#+|--|;+|\/\*+|\*|<!--)\s*nightshift:\s*(.+?)\s*(?:\*\/|-->)?\s*$/i;
const TODO = /(?:^|\s)(?:\/\/+|#+|--|;+|\/\*+|\*|<!--)\s*(TODO|FIXME)\b(?:\([^)]*\))?:?\s*(.+?)\s*(?:\*\/|-->)?\s*$/;
const MAX_INSTRUCTION = 300;

export function findMarkers(text: string, options: { todoComments?: boolean } = {}): Marker[] {
  const markers: Marker[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let instruction: string | undefined;
    if (/nightshift:/i.test(lines[i])) instruction = MARKER.exec(lines[i])?.[1].trim();
    else if (options.todoComments && /TODO|FIXME/.test(lines[i])) {
      const m = TODO.exec(lines[i]);
      if (m && m[2].trim()) instruction = `${m[1] === 'FIXME' ? 'Fix' : 'Do'}: ${m[2].trim()}`;
    }
    if (instruction) markers.push({ line: i, instruction: instruction.slice(0, MAX_INSTRUCTION) });
  }
  return markers;
}
