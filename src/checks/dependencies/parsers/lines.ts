// Finds line numbers in a file's text, so findings can point at the package's entry.
export class LineIndex {
  private readonly starts: number[] = [0];
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

  /** 1-based line of the first occurrence of `needle`, or undefined. */
  find(needle: string, from = 0): number | undefined {
    const i = this.text.indexOf(needle, from);
    if (i === -1) return undefined;
    return this.lineAt(needle.startsWith('\n') ? i + 1 : i);
  }
}
