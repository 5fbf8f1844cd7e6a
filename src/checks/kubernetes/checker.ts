// The Kubernetes manifest checker: every YAML file holding Kubernetes objects, and Helm charts.
import type { Checker, CheckerResult } from '../model.ts';
import { findingOf } from '../model.ts';
import { kubernetesRuleList, kubernetesRules as rules } from './rules.ts';
import { checkManifests } from './manifests.ts';
import { readYamlDocuments } from './yaml-documents.ts';
import { renderChart } from './helm.ts';
import { isKustomization, patchFilesOf } from './kustomize.ts';
import { say } from './messages.ts';

const yamlFile = /\.ya?ml$/i;
/** Cheap pre-filter so lockfiles and CI files are never parsed: a manifest names its apiVersion and kind. */
const looksLikeKubernetes = (text: string): boolean => /^\s*(- )?apiVersion\s*:/m.test(text) && /^\s*(- )?kind\s*:/m.test(text);

const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const join = (dir: string, path: string): string => (dir === '' ? path : `${dir}/${path}`);

export const kubernetesChecker: Checker = {
  name: 'kubernetes',
  rules: kubernetesRuleList,
  async check(input): Promise<CheckerResult> {
    const result: CheckerResult = { findings: [], notes: [] };
    const charts = input.files.filter((f) => /(^|\/)Chart\.ya?ml$/.test(f.path)).map((f) => dirOf(f.path));
    const inChartTemplates = (path: string): boolean => charts.some((chart) => path.startsWith(join(chart, 'templates/')));

    const patches = new Set<string>();
    for (const file of input.files) {
      if (!isKustomization(file.path)) continue;
      const text = await input.readText(file.path);
      if (text !== undefined) for (const patch of patchFilesOf(file.path, text)) patches.add(patch);
    }

    for (const file of input.files) {
      if (!yamlFile.test(file.path) || inChartTemplates(file.path) || patches.has(file.path)) continue;
      const text = await input.readText(file.path);
      if (text === undefined || !looksLikeKubernetes(text)) continue;
      if (text.includes('{{')) {
        result.notes.push({ file: file.path, message: 'Template syntax ({{ }}) found outside a Helm chart: the file was not evaluated.' });
        continue;
      }
      const documents = readYamlDocuments(text);
      if (documents.error) {
        const location = documents.error.line === undefined ? { file: file.path } : { file: file.path, line: documents.error.line };
        result.findings.push(findingOf(rules.unparsable, location, say['kubernetes.unparsable'].parse({ reason: documents.error.message.slice(0, 300) }), 'parse'));
        continue;
      }
      result.findings.push(...checkManifests(documents.values, file.path, documents.locate));
    }

    for (const chart of charts) {
      const outcome = await renderChart(input.root, chart);
      const chartFile = input.files.find((f) => /(^|\/)Chart\.ya?ml$/.test(f.path) && dirOf(f.path) === chart)?.path ?? join(chart, 'Chart.yaml');
      if (outcome.status === 'helm-missing') {
        result.notes.push({ file: chartFile, message: 'Helm chart not evaluated: helm is not installed (install helm to check what the chart renders).' });
      } else if (outcome.status === 'failed') {
        result.findings.push(findingOf(rules.helmRenderFailed, { file: chartFile }, say['kubernetes.helm-render-failed'].failed({ reason: outcome.message.slice(0, 1000) }), 'render'));
      } else {
        for (const chunk of outcome.chart.chunks) {
          const documents = readYamlDocuments(chunk.text);
          const file = join(chart, chunk.source);
          if (documents.error) {
            result.findings.push(findingOf(rules.helmRenderFailed, { file }, say['kubernetes.helm-render-failed'].unreadable({ reason: documents.error.message.slice(0, 300) }), `render:${chunk.source}`));
            continue;
          }
          result.findings.push(...checkManifests(documents.values, file));
        }
      }
    }
    return result;
  },
};
