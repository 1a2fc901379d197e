// Splits a decoded text stream into lines, without the newline (and without
// a trailing \r). execa's per-line generator transforms allocate a few
// generator objects per line; at 20,000 lines/s that was ~15 % of all the
// TUI's allocation under a flood (BENCHMARKS.md, section 3), so the chunks
// are split here with one indexOf walk.
export class LineSplitter {
  private partial = '';
  private ended = false;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    if (this.ended) return;
    let start = 0;
    let nl = chunk.indexOf('\n');
    if (nl === -1) {
      this.partial += chunk;
      return;
    }
    const text = this.partial + chunk;
    // Positions in `text` are shifted by what was pending.
    nl += this.partial.length;
    this.partial = '';
    while (nl !== -1) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.onLine(text.slice(start, end));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    this.partial = text.slice(start);
  }

  /** The stream ended: a last line without a newline still counts. Idempotent. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const rest = this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial;
    this.partial = '';
    if (rest !== '') this.onLine(rest);
  }
}
