/**
 * MiniMax (and other reasoning models) put their thinking in `<think>…</think>` inside the
 * message content. Users see only the answer; the thinking is kept apart for history and logs.
 * The splitter is fed stream chunks, which may cut a tag anywhere.
 */
const OPEN = '<think>';
const CLOSE = '</think>';

export class ThinkSplitter {
  private inThink = false;
  private pending = '';
  answer = '';
  thinking = '';

  push(chunk: string): void {
    let text = this.pending + chunk;
    this.pending = '';
    while (text.length > 0) {
      const tag = this.inThink ? CLOSE : OPEN;
      const at = text.indexOf(tag);
      if (at >= 0) {
        this.emit(text.slice(0, at));
        this.inThink = !this.inThink;
        text = text.slice(at + tag.length);
        continue;
      }
      // Keep a possible partial tag at the end for the next chunk.
      const keep = partialTagSuffix(text, tag);
      this.emit(text.slice(0, text.length - keep));
      this.pending = text.slice(text.length - keep);
      return;
    }
  }

  /** Flushes what is held back; an unclosed `<think>` leaves everything after it as thinking. */
  end(): { answer: string; thinking: string } {
    this.emit(this.pending);
    this.pending = '';
    return { answer: this.answer.trim(), thinking: this.thinking.trim() };
  }

  private emit(text: string): void {
    if (this.inThink) this.thinking += text;
    else this.answer += text;
  }
}

function partialTagSuffix(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}

export function splitThink(content: string): { answer: string; thinking: string } {
  const s = new ThinkSplitter();
  s.push(content);
  return s.end();
}
