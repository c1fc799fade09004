/**
 * Marker comments: `nightshift: <instruction>` in a comment asks the agent for a change. Found in
 * any language's line or block comments (//, #, --, ;, /* … *\/, <!-- … -->).
 */

export interface Marker {
  /** Zero-based line. */
  line: number;
  instruction: string;
}

const MARKER = /(?:^|\s)(?:\/\/+|#+|--|;+|\/\*+|\*|<!--)\s*nightshift:\s*(.+?)\s*(?:\*\/|-->)?\s*$/i;
const MAX_INSTRUCTION = 300;

export function findMarkers(text: string): Marker[] {
  const markers: Marker[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (!/nightshift:/i.test(lines[i])) continue;
    const m = MARKER.exec(lines[i]);
    const instruction = m?.[1].trim();
    if (instruction) markers.push({ line: i, instruction: instruction.slice(0, MAX_INSTRUCTION) });
  }
  return markers;
}
