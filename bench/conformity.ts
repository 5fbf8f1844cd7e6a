// Benchmark of the conformity evaluator (npm run bench:conformity):
//  1. all projects recomputed after a catalogue change (1,000 projects);
//  2. incremental recompute of ONE project after ONE new certified run, with 10 vs 1,000 projects known:
//     the cost must not depend on how many projects exist (only that project's facts are read).
import { performance } from 'node:perf_hooks';
import { currentCatalogue } from '../src/catalogue/catalogue.ts';
import { cctV1 } from '../src/catalogue/cct-v1.ts';
import { evaluateConformity, type ConformityResult } from '../src/catalogue/conformity.ts';
import { diffCatalogues } from '../src/catalogue/diff.ts';
import type { ProjectFacts } from '../src/catalogue/facts.ts';
import type { Catalogue } from '../src/catalogue/model.ts';
import { syntheticFinding, syntheticProject, syntheticRun } from '../src/catalogue/synthetic-project.ts';

const now = new Date('2026-11-29T12:00:00Z');

function projectAt(n: number): ProjectFacts {
  const findings = n % 3 === 0 ? [syntheticFinding('containers.run-as-root', ['EX32'], `root-${n}`), syntheticFinding('secrets.sample', ['EX47', 'EX58'], `k-${n}`)] : [];
  const facts = syntheticProject(cctV1, n, { findings, repositories: 1 + (n % 4) });
  if (n % 5 === 0) {
    return {
      ...facts,
      derogations: [{ id: `d-${n}`, requirement: 'EX32', scope: {}, status: 'approved', expiresAt: '2027-03-01T00:00:00+01:00', projectId: facts.projectId }],
    };
  }
  return facts;
}

/** The next catalogue version: EX9 becomes mandatory and automated, and a requirement is added. */
const cctNext: Catalogue = {
  version: '1.1.0',
  publishedAt: '2027-01-15',
  requirements: [
    ...cctV1.requirements.map((r) => (r.id === 'EX9' ? { ...r, level: 'P' as const, assessments: [{ kind: 'automated' as const, rules: ['test-reports.*'] }] } : r)),
    { ...cctV1.requirements.find((r) => r.id === 'EX46')!, id: 'EX59' },
  ],
};

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeAll(projects: ProjectFacts[], catalogue: Catalogue): number {
  const start = performance.now();
  let satisfied = 0;
  for (const p of projects) satisfied += evaluateConformity(catalogue, p, now).scores.P.satisfied;
  const ms = performance.now() - start;
  if (satisfied < 0) throw new Error('unreachable');
  return ms;
}

/** Keep every project's facts and last result; a new run re-evaluates that project only. */
class ConformityStore {
  readonly facts = new Map<string, ProjectFacts>();
  readonly results = new Map<string, ConformityResult>();
  constructor(private catalogue: Catalogue, projects: ProjectFacts[]) {
    for (const p of projects) {
      this.facts.set(p.projectId, p);
      this.results.set(p.projectId, evaluateConformity(catalogue, p, now));
    }
  }
  onCertifiedRun(projectId: string, repositoryId: string, run: ReturnType<typeof syntheticRun>): ConformityResult {
    const facts = this.facts.get(projectId)!;
    const next: ProjectFacts = {
      ...facts,
      repositories: facts.repositories.map((r) => (r.id === repositoryId ? { ...r, lastCertifiedRun: run } : r)),
    };
    this.facts.set(projectId, next);
    const result = evaluateConformity(this.catalogue, next, now);
    this.results.set(projectId, result);
    return result;
  }
}

function timeIncremental(projectCount: number, runs: number): { perRunMs: number } {
  const store = new ConformityStore(cctV1, Array.from({ length: projectCount }, (_, i) => projectAt(i + 1)));
  const ids = [...store.facts.keys()];
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const projectId = ids[i % ids.length]!;
    const repo = store.facts.get(projectId)!.repositories[0]!;
    const run = syntheticRun(cctV1, `${projectId}-new-${i}`, i % 2 ? [syntheticFinding('containers.run-as-root', ['EX32'], `r${i}`)] : []);
    const start = performance.now();
    store.onCertifiedRun(projectId, repo.id, run);
    samples.push(performance.now() - start);
  }
  return { perRunMs: median(samples) };
}

const projects = Array.from({ length: 1000 }, (_, i) => projectAt(i + 1));
// Warm up the JIT on the same work.
timeAll(projects.slice(0, 100), cctV1);

const diff = diffCatalogues(cctV1, cctNext);
const fullRuns = [1, 2, 3, 4, 5].map(() => timeAll(projects, cctNext));
// The current catalogue (2.0.0) judges machine evidence as well: every project evaluated against it.
const evidenceRuns = [1, 2, 3].map(() => timeAll(projects, currentCatalogue));
const inc10 = timeIncremental(10, 2000);
const inc1000 = timeIncremental(1000, 2000);

const report = {
  catalogueChange: `${diff.from} → ${diff.to}: +${diff.added.length} −${diff.removed.length} ~${diff.changed.length}`,
  projects: projects.length,
  recomputeAllMs: {
    median: Math.round(median(fullRuns)),
    min: Math.round(Math.min(...fullRuns)),
    runs: fullRuns.map((v) => Math.round(v)),
  },
  evaluateAllWithEvidenceMs: {
    catalogue: currentCatalogue.version,
    median: Math.round(median(evidenceRuns)),
    runs: evidenceRuns.map((v) => Math.round(v)),
  },
  incrementalOneRunMs: {
    with10Projects: +inc10.perRunMs.toFixed(3),
    with1000Projects: +inc1000.perRunMs.toFixed(3),
    ratio: +(inc1000.perRunMs / inc10.perRunMs).toFixed(2),
  },
};
console.log(`Conformity of ${report.projects} projects recomputed after catalogue change ${report.catalogueChange}: median ${report.recomputeAllMs.median} ms (min ${report.recomputeAllMs.min} ms over 5 runs)`);
console.log(
  `Incremental recompute of one project after one new run: ${report.incrementalOneRunMs.with10Projects} ms with 10 projects, ${report.incrementalOneRunMs.with1000Projects} ms with 1,000 projects (ratio ${report.incrementalOneRunMs.ratio})`,
);
console.log(`Conformity of ${report.projects} projects against catalogue ${currentCatalogue.version} (machine evidence judged): median ${report.evaluateAllWithEvidenceMs.median} ms over 3 runs`);
console.log(JSON.stringify(report));

// `npm run bench:conformity -- --db`: the same questions through the database (facts, evaluation, history).
if (process.argv.includes('--db')) await (await import('./conformity-db.ts')).runDatabaseBenchmark();
