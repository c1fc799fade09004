/**
 * Finds many ASCII keywords in one pass over a text, ignoring case (an Aho–Corasick automaton
 * unrolled into a table of 128 transitions a state). The redactor uses it as the cheap test before
 * a rule's regular expression runs: a rule runs only on the lines that hold one of its keywords.
 * It must never miss an occurrence: a missed keyword is a secret sent.
 */

const WIDTH = 128;

export class KeywordIndex {
  private readonly next: Uint32Array;
  /** Per state, the keywords (by index) that end there, its own and its fallbacks'. */
  private readonly ends: Array<readonly number[] | undefined>;
  /** 1 for a state where a keyword ends (a byte array is the cheapest test in the loop). */
  private readonly ending: Uint8Array;

  constructor(keywords: readonly string[]) {
    const children: Array<Map<number, number>> = [new Map()];
    const own: number[][] = [[]];
    keywords.forEach((word, index) => {
      let state = 0;
      for (const ch of word.toLowerCase()) {
        const code = ch.charCodeAt(0);
        if (code >= WIDTH) throw new Error(`keyword ${JSON.stringify(word)} is not ASCII`);
        let to = children[state].get(code);
        if (to === undefined) {
          to = children.length;
          children.push(new Map());
          own.push([]);
          children[state].set(code, to);
        }
        state = to;
      }
      own[state].push(index);
    });
    const states = children.length;
    this.next = new Uint32Array(states * WIDTH);
    const fail = new Uint32Array(states);
    const ends: number[][] = own.map((o) => [...o]);
    // Breadth first: a state's fallback is shallower, so its row is complete before it is copied.
    const queue: number[] = [];
    for (let c = 0; c < WIDTH; c++) {
      const to = children[0].get(c) ?? 0;
      this.next[c] = to;
      if (to !== 0) queue.push(to);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      ends[state].push(...ends[fail[state]]);
      for (let c = 0; c < WIDTH; c++) {
        const to = children[state].get(c);
        const fallback = this.next[fail[state] * WIDTH + c];
        if (to === undefined) {
          this.next[state * WIDTH + c] = fallback;
        } else {
          fail[to] = fallback;
          this.next[state * WIDTH + c] = to;
          queue.push(to);
        }
      }
    }
    this.ends = ends.map((e) => (e.length > 0 ? e : undefined));
    this.ending = Uint8Array.from(ends, (e) => (e.length > 0 ? 1 : 0));
  }

  /**
   * Calls `hit(keyword, at)` for every occurrence, `at` being the index of its last character; and,
   * when `runs` is given, `runs.found(start, end)` for every maximal run of `runs.chars` at least
   * `runs.min` long (the base64 finder's candidates, found in the same pass over the text).
   */
  scan(text: string, hit: (keyword: number, at: number) => void, runs?: CharRuns): void {
    const next = this.next;
    const ends = this.ends;
    const ending = this.ending;
    const chars = runs?.chars;
    let state = 0;
    let runStart = -1;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (chars !== undefined) {
        if (c < WIDTH && chars[c] === 1) {
          if (runStart < 0) runStart = i;
        } else if (runStart >= 0) {
          if (i - runStart >= runs!.min) runs!.found(runStart, i);
          runStart = -1;
        }
      }
      if (c >= 65 && c <= 90) c += 32;
      else if (c >= WIDTH) {
        state = 0;
        continue;
      }
      state = next[state * WIDTH + c];
      if (ending[state] === 1) for (const k of ends[state]!) hit(k, i);
    }
    if (runs && runStart >= 0 && text.length - runStart >= runs.min) runs.found(runStart, text.length);
  }
}

/** Runs of some ASCII characters to report while scanning. */
export interface CharRuns {
  /** 1 for each character (code below 128) of the runs. */
  chars: Uint8Array;
  min: number;
  found(start: number, end: number): void;
}
