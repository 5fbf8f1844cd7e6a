// Writing the run's files: the CycloneDX SBOM (the document comes from the dependency checker) and the
// `--output <dir>` bundle (report.json, report.sarif, sbom.cdx.json). Returns an error sentence, never throws.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckRun } from '../engine.ts';
import type { Language } from '../localise.ts';
import type { Rule } from '../model.ts';
import { formatJson } from './json.ts';
import { toSarif } from './sarif.ts';

export function writeSbom(file: string, sbom: unknown): string | undefined {
  try {
    writeFileSync(file, `${JSON.stringify(sbom, null, 2)}\n`);
    return undefined;
  } catch (error) {
    return `cannot write the SBOM to ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
}

export function writeOutputDirectory(dir: string, run: CheckRun, rules: readonly Rule[], lang: Language = 'fr'): string | undefined {
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'report.json'), formatJson(run.report));
    writeFileSync(join(dir, 'report.sarif'), `${JSON.stringify(toSarif(run.report, rules, lang), null, 2)}\n`);
    if (run.sbom !== undefined) writeFileSync(join(dir, 'sbom.cdx.json'), `${JSON.stringify(run.sbom, null, 2)}\n`);
    return undefined;
  } catch (error) {
    return `cannot write the reports to ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
}
