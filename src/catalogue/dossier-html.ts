// The homologation dossier as one self-contained, printable HTML document (no script, no external resource;
// the browser's "print to PDF" gives the PDF). Pure: facts in, string out; the same facts and `generatedAt`
// give the same bytes. Every piece of user text is escaped; only http(s) links become hyperlinks.
import { evidenceLabels } from './evidence.ts';
import { derogationInForce, parseInstant, type Derogation } from '../domain/derogation.ts';
import { compileCatalogue } from './catalogue.ts';
import { stateLabels, type ConformityResult, type ConformityState, type EvidenceRef, type LevelScore, type RequirementConformity, type TargetConformity } from './conformity.ts';
import type { ProjectFacts } from './facts.ts';
import { categoryLabels, requirementCategories, type Catalogue, type LocalisedText } from './model.ts';
import { referenceUrl } from './reference-url.ts';

export type DossierLanguage = 'fr' | 'en';

export interface DossierInput {
  catalogue: Catalogue;
  facts: ProjectFacts;
  conformity: ConformityResult;
  generatedAt: Date;
  lang?: DossierLanguage;
  /** Links shown in the header (the same dossier in OSCAL, the catalogue…). */
  links?: { oscalAssessmentResultsUrl?: string; oscalPoamUrl?: string; catalogueUrl?: string };
}

const ui = {
  title: { fr: "Dossier d'homologation", en: 'Homologation dossier' },
  project: { fr: 'Projet', en: 'Project' },
  generated: { fr: 'Généré le', en: 'Generated on' },
  evaluated: { fr: 'Conformité évaluée le', en: 'Conformity evaluated on' },
  catalogue: { fr: 'Catalogue CCT', en: 'CCT catalogue' },
  scores: { fr: 'Scores', en: 'Scores' },
  levelP: { fr: 'Exigences primordiales (P)', en: 'Mandatory requirements (P)' },
  levelI: { fr: 'Exigences importantes (I)', en: 'Important requirements (I)' },
  met: { fr: 'satisfaites', en: 'satisfied' },
  coveredWithDerogations: { fr: 'satisfaites ou sous dérogation', en: 'satisfied or derogated' },
  applicable: { fr: 'applicables', en: 'applicable' },
  environments: { fr: 'Environnements et zones', en: 'Environments and zones' },
  environment: { fr: 'Environnement', en: 'Environment' },
  stage: { fr: 'Type', en: 'Stage' },
  production: { fr: 'Production', en: 'Production' },
  zone: { fr: 'Zone', en: 'Zone' },
  gateMode: { fr: "Contrôle d'homologation", en: 'Homologation gate' },
  enforce: { fr: 'bloquant', en: 'enforce' },
  audit: { fr: 'avertissement', en: 'audit' },
  yes: { fr: 'oui', en: 'yes' },
  no: { fr: 'non', en: 'no' },
  none: { fr: 'Aucun.', en: 'None.' },
  repositories: { fr: 'Dépôts', en: 'Repositories' },
  services: { fr: 'Services du catalogue', en: 'Catalogue services' },
  service: { fr: 'Service', en: 'Service' },
  component: { fr: 'Composant et version', en: 'Component and version' },
  verdict: { fr: 'Contrôles', en: 'Checks' },
  covers: { fr: 'Exigences couvertes', en: 'Requirements covered' },
  checksPassed: { fr: 'réussis', en: 'passed' },
  checksFailed: { fr: 'en échec', en: 'failed' },
  notCommitted: { fr: 'pas encore déployé', en: 'not deployed yet' },
  serviceEvidence: { fr: 'Service', en: 'Service' },
  lastCertifiedRun: { fr: 'Dernière exécution certifiée', en: 'Last certified run' },
  noRun: { fr: 'aucune', en: 'none' },
  requirements: { fr: 'Exigences', en: 'Requirements' },
  id: { fr: 'Id', en: 'Id' },
  level: { fr: 'Niveau', en: 'Level' },
  requirement: { fr: 'Exigence', en: 'Requirement' },
  state: { fr: 'État', en: 'State' },
  details: { fr: 'Détail et preuves', en: 'Details and evidence' },
  until: { fr: "jusqu'au", en: 'until' },
  derogations: { fr: 'Dérogations', en: 'Derogations' },
  howTo: { fr: 'Pour la fournir', en: 'To provide it' },
  history: { fr: 'Demande, décision, révocation', en: 'Request, decision, revocation' },
  requestedAt: { fr: 'Demandée le', en: 'Requested at' },
  decided: { fr: 'Décidée le', en: 'Decided at' },
  revokedAt: { fr: 'Révoquée le', en: 'Revoked at' },
  by: { fr: 'par', en: 'by' },
  derogation: { fr: 'Dérogation', en: 'Derogation' },
  openDerogations: { fr: 'Dérogations en vigueur ou demandées', en: 'Derogations in force or requested' },
  pastDerogations: { fr: 'Dérogations passées (échues, refusées, révoquées)', en: 'Past derogations (expired, rejected, revoked)' },
  scope: { fr: 'Périmètre', en: 'Scope' },
  status: { fr: 'Statut', en: 'Status' },
  ends: { fr: 'Fin', en: 'Ends' },
  justification: { fr: 'Justification', en: 'Justification' },
  compensating: { fr: 'Mesures compensatoires', en: 'Compensating measures' },
  wholeRequirement: { fr: 'toute l’exigence', en: 'whole requirement' },
  notApplicable: { fr: 'Déclarations de non-applicabilité', en: 'Not-applicable declarations' },
  declaredBy: { fr: 'Déclarée par', en: 'Declared by' },
  evidenceBundle: { fr: 'preuves', en: 'evidence' },
  sbom: { fr: 'SBOM', en: 'SBOM' },
  sarif: { fr: 'SARIF', en: 'SARIF' },
  run: { fr: 'Exécution', en: 'Run' },
  attestation: { fr: 'Attestation', en: 'Attestation' },
  attestedBy: { fr: 'par', en: 'by' },
  inherited: { fr: 'Assurée par la plateforme', en: 'Provided by the platform' },
  openFindings: { fr: 'constats ouverts', en: 'open findings' },
  oscalAr: { fr: 'Résultats OSCAL', en: 'OSCAL results' },
  oscalPoam: { fr: "Plan d'action OSCAL (POA&M)", en: 'OSCAL POA&M' },
  requested: { fr: 'demandée', en: 'requested' },
  approved: { fr: 'approuvée', en: 'approved' },
  rejected: { fr: 'refusée', en: 'rejected' },
  revoked: { fr: 'révoquée', en: 'revoked' },
  expired: { fr: 'échue', en: 'expired' },
  inForce: { fr: 'en vigueur', en: 'in force' },
  footer: {
    fr: 'Document calculé par DSO π à partir des exécutions certifiées, des attestations et des dérogations enregistrées ; il reflète l’état à la date indiquée.',
    en: 'Computed by DSO π from certified runs, attestations and recorded derogations; it reflects the state at the date shown.',
  },
} satisfies Record<string, LocalisedText>;

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => escapes[c]!);
}

function link(href: string | undefined, text: string): string {
  const safe = referenceUrl(href);
  return safe ? `<a href="${escapeHtml(safe)}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

/** Deterministic date rendering in UTC (no locale data involved, so the bytes never depend on the machine). */
function formatInstant(value: string | Date, lang: DossierLanguage): string {
  const ms = typeof value === 'string' ? (parseInstant(value) ?? Date.parse(value)) : value.getTime();
  if (!Number.isFinite(ms)) return escapeHtml(String(value));
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  const date = lang === 'fr' ? `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}` : `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
  return `${date} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
}

function percent(ratio: number, lang: DossierLanguage): string {
  const text = (Math.round(ratio * 1000) / 10).toFixed(1);
  return `${lang === 'fr' ? text.replace('.', ',') : text} %`;
}

const stateClass: Record<ConformityState, string> = {
  satisfied: 'ok',
  'not-satisfied': 'ko',
  derogated: 'derogated',
  'awaiting-evidence': 'awaiting',
  'awaiting-attestation': 'awaiting',
  'not-applicable': 'na',
};

const styles = `
:root{--ok:#18753c;--ko:#ce0500;--warn:#b34000;--derog:#695240;--muted:#666;--line:#ddd}
*{box-sizing:border-box}
body{font-family:Marianne,Arial,Helvetica,sans-serif;color:#161616;margin:2rem auto;max-width:72rem;padding:0 1rem;line-height:1.4;font-size:14px}
h1{font-size:1.8rem;margin:0 0 .5rem}h2{font-size:1.3rem;margin:2rem 0 .5rem;border-bottom:2px solid #000091;padding-bottom:.2rem}h3{font-size:1.1rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f6f6f6}
.meta{color:var(--muted)}.meta dt{font-weight:bold;display:inline}.meta dd{display:inline;margin:0 1.5rem 0 .3rem}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:.25rem;font-weight:bold;font-size:.85em;white-space:nowrap;border:1px solid currentColor}
.ok{color:var(--ok)}.ko{color:var(--ko)}.awaiting{color:var(--warn)}.derogated{color:var(--derog)}.na{color:var(--muted)}
.scores{display:flex;gap:1rem;flex-wrap:wrap}.score{border:1px solid var(--line);padding:.6rem 1rem;min-width:18rem}.score strong{font-size:1.6rem}
ul.targets{margin:0;padding-left:1.1rem}ul.targets li{margin:.1rem 0}.reason{color:#3a3a3a}.howto{color:var(--muted);font-style:italic}.evidence{font-size:.9em}
.pre{white-space:pre-wrap}
footer{margin-top:2rem;color:var(--muted);font-size:.85em;border-top:1px solid var(--line);padding-top:.5rem}
@page{size:A4;margin:15mm 12mm}
@media print{
 body{margin:0;max-width:none;font-size:10pt}
 h2{break-after:avoid;page-break-after:avoid}
 tr,.score{break-inside:avoid;page-break-inside:avoid}
 thead{display:table-header-group}
 a{color:inherit;text-decoration:none}
 a[href]::after{content:" <" attr(href) ">";font-size:.8em;color:var(--muted);word-break:break-all}
 .badge{border-width:1px}
}`;

export function renderDossierHtml(input: DossierInput): string {
  const lang = input.lang ?? 'fr';
  const t = (text: LocalisedText) => escapeHtml(text[lang]);
  const { facts, conformity, catalogue } = input;
  const compiled = compileCatalogue(catalogue);
  const evaluatedAt = new Date(conformity.evaluatedAt);
  const out: string[] = [];

  out.push(
    '<!DOCTYPE html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${t(ui.title)} — ${escapeHtml(facts.projectName)}</title>`,
    `<style>${styles}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${t(ui.title)} — ${escapeHtml(facts.projectName)}</h1>`,
    '<dl class="meta">',
    `<dt>${t(ui.project)}</dt><dd>${escapeHtml(facts.projectSlug ?? facts.projectId)}</dd>`,
    `<dt>${t(ui.catalogue)}</dt><dd>${link(input.links?.catalogueUrl, catalogue.version)}</dd>`,
    `<dt>${t(ui.evaluated)}</dt><dd>${formatInstant(conformity.evaluatedAt, lang)}</dd>`,
    `<dt>${t(ui.generated)}</dt><dd>${formatInstant(input.generatedAt, lang)}</dd>`,
    '</dl>',
  );
  const oscalLinks = [
    referenceUrl(input.links?.oscalAssessmentResultsUrl) ? link(input.links?.oscalAssessmentResultsUrl, ui.oscalAr[lang]) : '',
    referenceUrl(input.links?.oscalPoamUrl) ? link(input.links?.oscalPoamUrl, ui.oscalPoam[lang]) : '',
  ].filter(Boolean);
  if (oscalLinks.length > 0) out.push(`<p class="meta">${oscalLinks.join(' · ')}</p>`);
  out.push('</header>');

  // Scores
  const scoreBlock = (label: LocalisedText, s: LevelScore) =>
    `<div class="score"><div>${t(label)}</div><strong>${percent(s.ratio, lang)}</strong> ${t(ui.met)} (${s.satisfied}/${s.applicable} ${t(ui.applicable)})` +
    `<div>${percent(s.coveredRatio, lang)} ${t(ui.coveredWithDerogations)}</div>` +
    `<div class="meta">${[
      `${s.derogated} ${escapeHtml(stateLabels.derogated[lang].toLowerCase())}`,
      `${s.awaitingEvidence} ${escapeHtml(stateLabels['awaiting-evidence'][lang].toLowerCase())}`,
      `${s.awaitingAttestation} ${escapeHtml(stateLabels['awaiting-attestation'][lang].toLowerCase())}`,
      `${s.notSatisfied} ${escapeHtml(stateLabels['not-satisfied'][lang].toLowerCase())}`,
      `${s.notApplicable} ${escapeHtml(stateLabels['not-applicable'][lang].toLowerCase())}`,
    ].join(' · ')}</div></div>`;
  out.push(`<section><h2>${t(ui.scores)}</h2><div class="scores">${scoreBlock(ui.levelP, conformity.scores.P)}${scoreBlock(ui.levelI, conformity.scores.I)}</div></section>`);

  // Environments and repositories
  out.push(`<section><h2>${t(ui.environments)}</h2>`);
  const environments = [...facts.environments].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (environments.length === 0) out.push(`<p>${t(ui.none)}</p>`);
  else {
    out.push(`<table><thead><tr><th>${t(ui.environment)}</th><th>${t(ui.stage)}</th><th>${t(ui.production)}</th><th>${t(ui.zone)}</th><th>${t(ui.gateMode)}</th></tr></thead><tbody>`);
    for (const e of environments) {
      out.push(
        `<tr><td>${escapeHtml(e.name)}</td><td>${escapeHtml(e.stage.name)}</td><td>${t(e.stage.production ? ui.yes : ui.no)}</td><td>${escapeHtml(e.zone.name)}</td><td>${t(e.zone.gateMode === 'enforce' ? ui.enforce : ui.audit)}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
  }
  // Catalogue services: which component, which version, whether its checks passed, what it covers.
  const services = [...(facts.services ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (services.length > 0) {
    const environmentName = new Map(facts.environments.map((e) => [e.id, e.name]));
    out.push(`<h3>${t(ui.services)}</h3>`);
    out.push(`<table><thead><tr><th>${t(ui.service)}</th><th>${t(ui.environment)}</th><th>${t(ui.component)}</th><th>${t(ui.verdict)}</th><th>${t(ui.covers)}</th></tr></thead><tbody>`);
    for (const s of services) {
      out.push(
        `<tr><td>${escapeHtml(s.name)}</td><td>${escapeHtml(environmentName.get(s.environmentId) ?? s.environmentId)}</td><td>${escapeHtml(s.item)} ${escapeHtml(s.version)}</td><td>${t(s.verdict === 'pass' ? ui.checksPassed : ui.checksFailed)}${s.gitopsCommit ? '' : ` (${t(ui.notCommitted)})`}</td><td>${escapeHtml(s.covers.join(', ') || '—')}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
  }
  out.push(`<h3>${t(ui.repositories)}</h3>`);
  const repositories = [...facts.repositories].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (repositories.length === 0) out.push(`<p>${t(ui.none)}</p>`);
  else {
    out.push(`<table><thead><tr><th>${t(ui.repositories)}</th><th>${t(ui.lastCertifiedRun)}</th></tr></thead><tbody>`);
    for (const r of repositories) {
      const run = r.lastCertifiedRun;
      out.push(
        `<tr><td>${escapeHtml(r.name)}</td><td>${
          run
            ? `${escapeHtml(run.runId)} — ${formatInstant(run.finishedAt, lang)}${run.revision ? ` — <code>${escapeHtml(run.revision)}</code>` : ''}${runLinks(run.links, lang)}`
            : t(ui.noRun)
        }</td></tr>`,
      );
    }
    out.push('</tbody></table>');
  }
  out.push('</section>');

  // Requirements, by category
  out.push(`<section><h2>${t(ui.requirements)}</h2>`);
  for (const category of requirementCategories) {
    const rows = conformity.requirements.filter((r) => compiled.byId.get(r.id)?.category === category);
    if (rows.length === 0) continue;
    out.push(`<h3>${t(categoryLabels[category])}</h3>`);
    out.push(`<table><thead><tr><th>${t(ui.id)}</th><th>${t(ui.level)}</th><th>${t(ui.requirement)}</th><th>${t(ui.state)}</th><th>${t(ui.details)}</th></tr></thead><tbody>`);
    for (const r of rows) out.push(requirementRow(r, input, lang));
    out.push('</tbody></table>');
  }
  out.push('</section>');

  // Derogations
  const derogations = [...facts.derogations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const open = derogations.filter((d) => d.status === 'requested' || derogationInForce(d, evaluatedAt));
  const past = derogations.filter((d) => !open.includes(d));
  out.push(`<section><h2>${t(ui.derogations)}</h2>`);
  out.push(`<h3>${t(ui.openDerogations)}</h3>`, derogationTable(open, evaluatedAt, lang));
  out.push(`<h3>${t(ui.pastDerogations)}</h3>`, derogationTable(past, evaluatedAt, lang));
  out.push('</section>');

  // Not applicable
  const declarations = [...facts.notApplicable].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  out.push(`<section><h2>${t(ui.notApplicable)}</h2>`);
  if (declarations.length === 0) out.push(`<p>${t(ui.none)}</p>`);
  else {
    out.push(`<table><thead><tr><th>${t(ui.requirement)}</th><th>${t(ui.scope)}</th><th>${t(ui.justification)}</th><th>${t(ui.declaredBy)}</th></tr></thead><tbody>`);
    for (const d of declarations) {
      const scope = [d.repositoryId, d.environmentId].filter(Boolean).join(', ') || ui.wholeRequirement[lang];
      out.push(`<tr><td>${escapeHtml(d.requirement)}</td><td>${escapeHtml(scope)}</td><td class="pre">${escapeHtml(d.justification)}</td><td>${escapeHtml(d.declaredBy)}, ${formatInstant(d.declaredAt, lang)}</td></tr>`);
    }
    out.push('</tbody></table>');
  }
  out.push('</section>');

  out.push(`<footer>${t(ui.footer)}</footer>`, '</body>', '</html>', '');
  return out.join('\n');
}

function runLinks(
  links: { bundleUrl?: string; sbomUrl?: string; sarifUrl?: string } | undefined,
  lang: DossierLanguage,
): string {
  const parts = [
    referenceUrl(links?.bundleUrl) ? link(links?.bundleUrl, ui.evidenceBundle[lang]) : '',
    referenceUrl(links?.sbomUrl) ? link(links?.sbomUrl, ui.sbom[lang]) : '',
    referenceUrl(links?.sarifUrl) ? link(links?.sarifUrl, ui.sarif[lang]) : '',
  ].filter(Boolean);
  return parts.length > 0 ? ` <span class="evidence">(${parts.join(', ')})</span>` : '';
}

function evidenceHtml(ref: EvidenceRef, lang: DossierLanguage): string {
  switch (ref.kind) {
    case 'run':
      return `${escapeHtml(ui.run[lang])} ${escapeHtml(ref.runId)}${runLinks(ref, lang)}`;
    case 'attestation':
      return `${link(ref.url, `${ui.attestation[lang]} ${ref.title ?? ref.attestationId}`)} ${escapeHtml(ui.attestedBy[lang])} ${escapeHtml(ref.attestedBy)} (${escapeHtml(ref.role)}), ${escapeHtml(ui.until[lang])} ${formatInstant(ref.effectiveUntil, lang)}`;
    case 'derogation':
      return `${escapeHtml(ui.derogation[lang])} ${escapeHtml(ref.derogationId)}, ${escapeHtml(ui.until[lang])} ${formatInstant(ref.expiresAt, lang)}`;
    case 'inherited':
      return `${escapeHtml(ui.inherited[lang])}${lang === 'fr' ? ' : ' : ': '}${escapeHtml(ref.how[lang])}`;
    case 'not-applicable':
      return escapeHtml(ref.justification);
    case 'service':
      return `${escapeHtml(ui.serviceEvidence[lang])} ${escapeHtml(ref.name)} (${escapeHtml(ref.item)} ${escapeHtml(ref.version)}, ${escapeHtml(ui.verdict[lang].toLowerCase())} ${escapeHtml(ref.verdict === 'pass' ? ui.checksPassed[lang] : ui.checksFailed[lang])})`;
    case 'observation':
      return `${escapeHtml(evidenceLabels[ref.evidence][lang])}${lang === 'fr' ? ' : ' : ': '}${escapeHtml(ref.summary[lang])} <span class="evidence">(${formatInstant(ref.observedAt, lang)}${ref.url && referenceUrl(ref.url) ? `, ${link(ref.url, ui.evidenceBundle[lang])}` : ''})</span>`;
  }
}

function targetLabel(t: TargetConformity): string {
  return t.target.kind === 'project' ? '' : `<strong>${escapeHtml(t.target.name)}</strong> — `;
}

function requirementRow(r: RequirementConformity, input: DossierInput, lang: DossierLanguage): string {
  const requirement = compileCatalogue(input.catalogue).byId.get(r.id);
  const badge = `<span class="badge ${stateClass[r.state]}">${escapeHtml(stateLabels[r.state][lang])}</span>${
    r.until ? `<div class="derogated">${escapeHtml(ui.until[lang])} ${formatInstant(r.until, lang)}</div>` : ''
  }`;
  const items = r.targets.map((t) => {
    const reasons = t.reasons
      .map((reason) => `<span class="reason">${escapeHtml(reason.message[lang])}</span>${reason.howTo ? ` <span class="howto">${escapeHtml(ui.howTo[lang])}${lang === 'fr' ? ' : ' : ': '}${escapeHtml(reason.howTo[lang])}</span>` : ''}`)
      .join(' ');
    const evidence = t.evidence.map((e) => `<div class="evidence">${evidenceHtml(e, lang)}</div>`).join('');
    const findings =
      t.openFindings && t.openFindings.length > 0
        ? `<div class="evidence">${t.openFindingCount ?? t.openFindings.length} ${escapeHtml(ui.openFindings[lang])}${lang === 'fr' ? ' : ' : ': '}${t.openFindings
            .map((f) => `<code>${escapeHtml(f.ruleId)}</code> ${escapeHtml(f.location.file)}${f.location.line ? `:${f.location.line}` : ''}`)
            .join(', ')}</div>`
        : '';
    return `<li>${targetLabel(t)}<span class="${stateClass[t.state]}">${escapeHtml(stateLabels[t.state][lang])}</span> ${reasons}${findings}${evidence}</li>`;
  });
  return `<tr id="${escapeHtml(r.id.toLowerCase())}"><td>${escapeHtml(r.id)}</td><td>${escapeHtml(r.level)}</td><td><strong>${escapeHtml(requirement?.title[lang] ?? r.id)}</strong><div>${escapeHtml(requirement?.summary[lang] ?? '')}</div></td><td>${badge}</td><td><ul class="targets">${items.join('')}</ul></td></tr>`;
}

function derogationStatus(d: Derogation, now: Date, lang: DossierLanguage): string {
  if (d.status === 'approved') return escapeHtml(derogationInForce(d, now) ? ui.inForce[lang] : ui.expired[lang]);
  return escapeHtml(ui[d.status][lang]);
}

/** Request, decision and revocation of a derogation: who, when, with which comment. */
function decisionHtml(d: Derogation, lang: DossierLanguage): string {
  const sep = lang === 'fr' ? ' : ' : ': ';
  // People are named by their display name; an id only when the person is unknown (deleted account).
  const who = (person: string | undefined) => (person ? ` ${escapeHtml(ui.by[lang])} ${escapeHtml(person)}` : '');
  const lines = [
    d.requestedAt ? `${escapeHtml(ui.requestedAt[lang])} ${formatInstant(d.requestedAt, lang)}${who(d.requestedByName ?? d.requestedBy)}` : '',
    d.decidedAt ? `${escapeHtml(ui.decided[lang])} ${formatInstant(d.decidedAt, lang)}${who(d.decidedByName ?? d.decidedBy)}${d.decisionComment ? `${sep}${escapeHtml(d.decisionComment)}` : ''}` : '',
    d.revokedAt ? `${escapeHtml(ui.revokedAt[lang])} ${formatInstant(d.revokedAt, lang)}${who(d.revokedByName)}` : '',
  ].filter(Boolean);
  return lines.join('<br>');
}

function derogationTable(list: Derogation[], now: Date, lang: DossierLanguage): string {
  if (list.length === 0) return `<p>${escapeHtml(ui.none[lang])}</p>`;
  const rows = list.map((d) => {
    const scope =
      Object.entries(d.scope ?? {})
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${escapeHtml(k)}=${escapeHtml(v)}`)
        .join(', ') || escapeHtml(ui.wholeRequirement[lang]);
    return `<tr><td>${escapeHtml(d.id)}</td><td>${escapeHtml(d.requirement)}</td><td>${scope}</td><td>${derogationStatus(d, now, lang)}</td><td>${formatInstant(d.expiresAt, lang)}</td><td class="pre">${escapeHtml(d.justification ?? '')}</td><td class="pre">${escapeHtml(d.compensatingMeasures ?? '')}</td><td class="pre">${decisionHtml(d, lang)}</td></tr>`;
  });
  return `<table><thead><tr><th>Id</th><th>${escapeHtml(ui.requirement[lang])}</th><th>${escapeHtml(ui.scope[lang])}</th><th>${escapeHtml(ui.status[lang])}</th><th>${escapeHtml(ui.ends[lang])}</th><th>${escapeHtml(ui.justification[lang])}</th><th>${escapeHtml(ui.compensating[lang])}</th><th>${escapeHtml(ui.history[lang])}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
