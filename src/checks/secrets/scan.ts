// The secrets scan of one file: pure, synchronous, run in worker threads by the engine.
import { createHash } from 'node:crypto';
import { findingOf, type Finding, type Rule } from '../model.ts';
import { findAssignments } from './assignments.ts';
import { detectors } from './detectors.ts';
import { maskSecret } from './mask.ts';
import { secretRules } from './rules.ts';
import { LineIndex } from '../worker/line-index.ts';

/** A line holding this marker is never reported (documented false positive, test value). */
export const inlineAllowMarker = 'dso-allow-secret';

interface Hit {
  rule: Rule;
  label: string;
  secret: string;
  start: number;
  end: number;
}

export function scanSecrets(path: string, text: string): Finding[] {
  const hits: Hit[] = [];
  for (const detector of detectors) {
    if (!detector.keywords.some((k) => text.includes(k))) continue;
    const pattern = detector.pattern;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      const secret = m[detector.secretGroup];
      if (secret === undefined || (detector.accept && !detector.accept(secret, m))) continue;
      const secretStart = m.index + m[0].lastIndexOf(secret);
      const start = detector.locateAtMatch ? m.index : secretStart;
      addHit(hits, { rule: detector.rule, label: detector.label, secret, start, end: secretStart + secret.length });
    }
  }
  for (const a of findAssignments(path, text)) {
    const rule = a.kind === 'password' ? secretRules.password : secretRules.genericSecret;
    addHit(hits, { rule, label: `Literal assigned to "${a.name}"`, secret: a.value, start: a.start, end: a.end });
  }
  if (hits.length === 0) return [];
  const lines = new LineIndex(text);
  const findings: Finding[] = [];
  for (const hit of hits) {
    const line = lines.lineOf(hit.start);
    if (lines.textOf(line).includes(inlineAllowMarker)) continue;
    const key = createHash('sha256').update(hit.secret).digest('hex');
    const masked = maskSecret(hit.secret);
    findings.push(
      findingOf(hit.rule, { file: path, line }, `${hit.label}: ${masked}. Revoke it, then read it from the secret store at run time.`, key, { masked }),
    );
  }
  return findings;
}

/** A secret matched by a specific detector is not reported again by a broader one. */
function addHit(hits: Hit[], hit: Hit): void {
  for (const h of hits) if (hit.start < h.end && h.start < hit.end) return;
  hits.push(hit);
}
