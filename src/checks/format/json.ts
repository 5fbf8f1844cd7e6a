// The JSON report: the CheckReport object itself, stable key order, two-space indentation.
import type { CheckReport } from '../engine.ts';

export function formatJson(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
