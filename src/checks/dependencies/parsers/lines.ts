// Finds line numbers in a file's text, so findings can point at the package's entry.
export class LineIndex {
  private readonly starts: number[] = [0];
  /** Where the previous search matched: lockfile entries are looked up in file order, mostly. */
  private cursor = 0;
  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line of a character offset. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /**
   * 1-based line of `needle`, or undefined: the next occurrence after the previous match, else the
   * first one in the file (searching from `from` when given). Searching onwards keeps a whole
   * lockfile linear instead of quadratic.
   */
  find(needle: string, from?: number): number | undefined {
    let i = from !== undefined ? this.text.indexOf(needle, from) : this.text.indexOf(needle, this.cursor);
    if (i === -1 && from === undefined && this.cursor > 0) i = this.text.indexOf(needle);
    if (i === -1) return undefined;
    this.cursor = i + needle.length;
    return this.lineAt(needle.startsWith('\n') ? i + 1 : i);
  }
}
