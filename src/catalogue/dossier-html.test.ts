import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cctV1 } from './cct-v1.ts';
import { cctV2 } from './cct-v2.ts';
import { evaluateConformity } from './conformity.ts';
import { escapeHtml, renderDossierHtml } from './dossier-html.ts';
import type { ProjectFacts } from './facts.ts';
import { syntheticFinding, syntheticProject } from './synthetic-project.ts';

const now = new Date('2026-11-29T12:00:00Z');
const generatedAt = new Date('2026-11-29T12:00:05Z');
const hostile = '<script>alert(1)</script>"\'&';

function seededProject(): ProjectFacts {
  const base = syntheticProject(cctV1, 3, { findings: [syntheticFinding('containers.run-as-root', ['EX32'], 'root')] });
  return {
    ...base,
    projectName: `Démo ${hostile}`,
    repositories: base.repositories.map((r, i) => (i === 1 ? { ...r, name: `svc"><img src=x onerror=alert(1)>` } : r)),
    environments: base.environments.map((e) => ({ ...e, zone: { ...e.zone, name: 'Zone <b>sensible</b>', gateMode: e.stage.production ? 'enforce' : 'audit' } })),
    attestations: base.attestations.map((a) =>
      a.requirement === 'EX1' ? { ...a, attestedBy: hostile, evidence: { kind: 'link' as const, title: 'Audit <RGAA>', url: 'javascript:alert(1)' } } : a,
    ),
    derogations: [
      { id: 'der-1', requirement: 'EX32', scope: { ruleId: 'containers.run-as-root' }, status: 'approved', expiresAt: '2027-01-31T23:59:59+01:00', justification: `Image éditeur ${hostile}`, compensatingMeasures: 'Isolation réseau' },
      { id: 'der-0', requirement: 'EX29', scope: {}, status: 'approved', expiresAt: '2026-06-01T00:00:00Z', justification: 'Ancienne' },
      { id: 'der-2', requirement: 'EX47', scope: {}, status: 'rejected', expiresAt: '2027-06-01T00:00:00Z', justification: 'Refusée', requestedBy: 'bob', requestedAt: '2026-11-02T09:00:00Z', decidedBy: 'rssi-claire', decidedAt: '2026-11-03T10:30:00Z', decisionComment: `Mesures insuffisantes ${hostile}` },
    ],
    notApplicable: [{ id: 'na-1', requirement: 'EX57', justification: `Pas de données personnelles ${hostile}`, declaredBy: 'alice', declaredAt: '2026-11-01T00:00:00Z' }],
  };
}

function render(lang: 'fr' | 'en' = 'fr', facts = seededProject()) {
  return renderDossierHtml({
    catalogue: cctV1,
    facts,
    conformity: evaluateConformity(cctV1, facts, now),
    generatedAt,
    lang,
    links: { oscalAssessmentResultsUrl: 'https://dso.example/api/v1/projects/p/dossier?format=oscal', catalogueUrl: 'javascript:evil()' },
  });
}

describe('homologation dossier (HTML)', () => {
  it('keeps each derogation’s history: request, decision, who, when and the comment', () => {
    const html = render();
    expect(html).toContain('Demande, décision, révocation');
    expect(html).toContain('Décidée le 03/11/2026 10:30 UTC par rssi-claire : Mesures insuffisantes');
    expect(html).toContain('Demandée le 02/11/2026 09:00 UTC par bob');
    expect(render('en')).toContain('Decided at 2026-11-03 10:30 UTC by rssi-claire: Mesures insuffisantes');
  });

  it('says which requirements await evidence and how to provide it', () => {
    const facts = seededProject();
    const withoutCoverage: ProjectFacts = {
      ...facts,
      repositories: facts.repositories.map((r) => ({
        ...r,
        lastCertifiedRun: {
          ...r.lastCertifiedRun!,
          measurements: { ...r.lastCertifiedRun!.measurements, coverage: undefined },
        },
      })),
    };
    const html = renderDossierHtml({ catalogue: cctV2, facts: withoutCoverage, conformity: evaluateConformity(cctV2, withoutCoverage, now), generatedAt, lang: 'fr' });
    expect(html).toMatch(/<tr id="ex10">.*En attente de preuve/s);
    expect(html).toContain('Pour la fournir : Produisez un rapport de couverture');
    expect(html).toContain('en attente de preuve');
  });

  it('escapes every piece of user text and never links to a non-http URL', () => {
    const html = render();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>sensible');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain(escapeHtml(hostile));
    expect(html).toContain('Audit &lt;RGAA&gt;');
    expect(escapeHtml(`<a href="x" onclick='y'>&`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;');
  });

  it('is self-contained, printable and forbids scripts', () => {
    const html = render();
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="fr">')).toBe(true);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<link|<script|src="http/);
  });

  it('shows project, environments and zones, every requirement with its state and evidence, derogations and scores', () => {
    const html = render();
    for (let i = 1; i <= 58; i++) expect(html).toContain(`<tr id="ex${i}">`);
    expect(html).toContain('Zone &lt;b&gt;sensible&lt;/b&gt;');
    expect(html).toContain('bloquant');
    expect(html).toContain('https://dso.example/runs/project-00003-run-0/results.sarif');
    expect(html).toContain('Sous dérogation');
    expect(html).toContain('jusqu&#39;au 31/01/2027 22:59 UTC');
    // der-1 is in force, der-0 has expired, der-2 was rejected.
    const open = html.slice(html.indexOf('Dérogations en vigueur'), html.indexOf('Dérogations passées'));
    expect(open).toContain('der-1');
    expect(open).not.toContain('der-0');
    const past = html.slice(html.indexOf('Dérogations passées'));
    expect(past).toContain('der-0');
    expect(past).toContain('échue');
    expect(past).toContain('refusée');
    expect(html).toMatch(/Exigences primordiales \(P\)<\/div><strong>\d+,\d %<\/strong>/);
    expect(html).toContain('Déclarations de non-applicabilité');
  });

  it('is available in English', () => {
    const html = render('en');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Homologation dossier');
    expect(html).toContain('Derogations in force or requested');
    expect(html).toContain('Non-root containers, ports above 1024');
  });

  it('is reproducible: same facts and date give the same bytes', () => {
    const shuffled = seededProject();
    const reversed: ProjectFacts = {
      ...shuffled,
      derogations: [...shuffled.derogations].reverse(),
      repositories: [...shuffled.repositories].reverse(),
      environments: [...shuffled.environments].reverse(),
    };
    expect(render('fr', reversed)).toBe(render());
  });

  it('prints to PDF in Chromium without error', async () => {
    const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
    if (!executablePath) {
      if (process.env.CI === 'true') throw new Error('Chromium is required in CI (apt-get install chromium)');
      console.log('skipped: dossier PDF rendering needs Chromium (apt-get install chromium)');
      return;
    }
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.setContent(render(), { waitUntil: 'load' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(20_000);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
