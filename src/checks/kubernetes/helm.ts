// Helm charts are evaluated on what they render: `helm template` when helm is installed,
// otherwise the chart is reported as not evaluated (a note, not a finding: nothing is known).
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface RenderedChart {
  /** Rendered manifest chunks, each with the chart-relative template it came from. */
  chunks: { source: string; text: string }[];
}

export type RenderOutcome =
  | { status: 'rendered'; chart: RenderedChart }
  | { status: 'helm-missing' }
  | { status: 'failed'; message: string };

let helmAvailable: Promise<boolean> | undefined;

function run(args: string[], cwd: string, timeout: number): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('helm', args, { cwd, timeout, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, HELM_OFFLINE: '1' } }, (error, stdout, stderr) => {
      resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr || (error ? error.message : '')) });
    });
  });
}

export function isHelmAvailable(): Promise<boolean> {
  helmAvailable ??= run(['version', '--short'], process.cwd(), 10_000).then((r) => r.ok).catch(() => false);
  return helmAvailable;
}

/** Renders the chart at `root/chartDir` with its default values. */
export async function renderChart(root: string, chartDir: string): Promise<RenderOutcome> {
  if (!(await isHelmAvailable())) return { status: 'helm-missing' };
  const result = await run(['template', 'dso-check', join(root, chartDir)], root, 60_000);
  if (!result.ok) return { status: 'failed', message: result.stderr.split('\n').find((l) => l.trim() !== '')?.slice(0, 300) ?? 'helm template failed' };
  return { status: 'rendered', chart: splitRenderedChart(result.stdout) };
}

/** Splits `helm template` output into documents, each tied to the template named by its `# Source:` line. */
export function splitRenderedChart(output: string): RenderedChart {
  const chunks: RenderedChart['chunks'] = [];
  for (const text of output.split(/^---\s*$/m)) {
    if (text.trim() === '') continue;
    const source = /^# Source: [^/\n]+\/(.+)$/m.exec(text)?.[1] ?? 'Chart.yaml';
    chunks.push({ source: source.trim(), text });
  }
  return { chunks };
}
