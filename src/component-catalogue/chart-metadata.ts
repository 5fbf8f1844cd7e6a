// What the catalogue keeps from a chart's own files: Chart.yaml (name, version, app version, description, the
// catalogue annotations), README, values.yaml and values.schema.json, each bounded and parsed without aliases blowing
// up. A chart that does not say who it is (no name, no semantic version) is refused with a reason.
import { parseDocument } from 'yaml';
import { ChartArchiveError, fileOf, type ChartArchive } from './chart-archive.ts';

export interface ChartMetadata {
  name: string;
  version: string;
  appVersion: string | null;
  /** `dso.pi/title`, else the chart's name: the chart's own title, in the chart's own language (usually English). */
  title: string;
  /** `dso.pi/title-fr`: the title in French, when the chart gives one. */
  titleFr: string | null;
  /** Chart.yaml `description`, as the chart gives it (usually English). */
  description: string;
  /** `dso.pi/description-fr`: the description in French, when the chart gives one. */
  descriptionFr: string | null;
  /** `chart` for an application chart; `operator` when annotated `dso.pi/kind: operator`. */
  kind: 'chart' | 'operator';
  readme: string;
  defaultValues: string;
  valuesSchema: Record<string, unknown> | null;
  dataBearing: boolean;
  covers: string[];
  customResourceKinds: string[] | null;
}

const semver = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
export const isSemver = (version: string): boolean => version.length <= 64 && semver.test(version);
export const chartNamePattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const maxReadme = 256 * 1024;

const yamlObject = (text: string, file: string): Record<string, unknown> => {
  const document = parseDocument(text, { uniqueKeys: false });
  if (document.errors.length > 0) throw new ChartArchiveError('no-chart', `${file} is not valid YAML (${document.errors[0]!.message.split('\n')[0]})`);
  const value: unknown = document.toJS({ maxAliasCount: 50 });
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
};

/** A non-empty annotation, trimmed and bounded; null when absent or blank. */
const annotationText = (annotations: Record<string, unknown>, key: string, max: number): string | null => {
  const value = annotations[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : null;
};

const stringList = (value: unknown): string[] =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];

/** Reads and validates the metadata of a chart archive. */
export function chartMetadataOf(archive: ChartArchive): ChartMetadata {
  const chartYaml = fileOf(archive, 'Chart.yaml');
  if (chartYaml === undefined) throw new ChartArchiveError('no-chart', 'the archive holds no Chart.yaml');
  const chart = yamlObject(chartYaml, 'Chart.yaml');
  const name = typeof chart.name === 'string' ? chart.name : '';
  const version = typeof chart.version === 'string' ? chart.version : typeof chart.version === 'number' ? String(chart.version) : '';
  if (!chartNamePattern.test(name)) throw new ChartArchiveError('no-chart', 'Chart.yaml must name the chart with lower-case letters, digits and dashes (at most 63)');
  if (!isSemver(version)) throw new ChartArchiveError('no-chart', `Chart.yaml's version "${version.slice(0, 64)}" is not a semantic version`);
  const annotations = typeof chart.annotations === 'object' && chart.annotations !== null ? (chart.annotations as Record<string, unknown>) : {};
  let valuesSchema: Record<string, unknown> | null = null;
  const schemaText = fileOf(archive, 'values.schema.json');
  if (schemaText !== undefined) {
    try {
      const parsed: unknown = JSON.parse(schemaText);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) valuesSchema = parsed as Record<string, unknown>;
    } catch {
      throw new ChartArchiveError('no-chart', 'values.schema.json is not valid JSON');
    }
  }
  const readmeFile = archive.files.find((f) => /^readme\.md$/i.test(f.path));
  const kind = annotations['dso.pi/kind'] === 'operator' ? 'operator' : 'chart';
  return {
    name,
    version: version.replace(/^v/, ''),
    appVersion: typeof chart.appVersion === 'string' || typeof chart.appVersion === 'number' ? String(chart.appVersion).slice(0, 64) : null,
    title: annotationText(annotations, 'dso.pi/title', 200) ?? name,
    titleFr: annotationText(annotations, 'dso.pi/title-fr', 200),
    description: typeof chart.description === 'string' ? chart.description.slice(0, 2000) : '',
    descriptionFr: annotationText(annotations, 'dso.pi/description-fr', 2000),
    kind,
    readme: (readmeFile?.content.toString('utf8') ?? '').slice(0, maxReadme),
    defaultValues: fileOf(archive, 'values.yaml') ?? '',
    valuesSchema,
    dataBearing: annotations['dso.pi/data-bearing'] === 'true' || annotations['dso.pi/data-bearing'] === true,
    covers: stringList(annotations['dso.pi/covers']).filter((id) => /^EX\d{1,3}$/.test(id)),
    customResourceKinds: kind === 'operator' ? stringList(annotations['dso.pi/custom-resource-kinds']) : null,
  };
}
