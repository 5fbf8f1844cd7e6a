// The secrets scan of one file: pure, synchronous, run in worker threads by the engine.
import { createHash } from 'node:crypto';
import { findingOf, type Finding, type Rule } from '../model.ts';
import { assignmentAt, bareValuesAllowed, secretName } from './assignments.ts';
import { detectors, type Detector } from './detectors.ts';
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
  {
    for (const [detector, m] of matches(text)) {
      const secret = m[detector.secretGroup];
      if (secret === undefined || (detector.accept && !detector.accept(secret, m))) continue;
      const secretStart = m.index + m[0].lastIndexOf(secret);
      const start = detector.locateAtMatch ? m.index : secretStart;
      addHit(hits, { rule: detector.rule, label: detector.label, secret, start, end: secretStart + secret.length });
    }
  }
  // Secret-like names, in a second pass: two simple alternations run faster than one large one.
  const names: NameHit[] = [];
  secretName.lastIndex = 0;
  for (let n = secretName.exec(text); n !== null; n = secretName.exec(text)) names.push([n.index, n[0].length]);
  if (names.length > 0) {
    const bareAllowed = bareValuesAllowed(path);
    let after = -1;
    for (const [index, length] of names) {
      if (index < after) continue;
      const a = assignmentAt(text, index, length, bareAllowed);
      if (!a) continue;
      if ('skipTo' in a) {
        after = a.skipTo;
        continue;
      }
      after = a.valueEnd;
      const rule = a.kind === 'password' ? secretRules.password : secretRules.genericSecret;
      addHit(hits, { rule, label: `Literal assigned to "${a.name}"`, secret: a.value, start: a.start, end: a.end });
    }
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

// One pass over the text finds every keyword of every detector (a single alternation is several times faster
// than one substring search per keyword); anchored detectors are then tried exactly where their keyword is.
const byKeyword = new Map<string, Detector[]>();
for (const d of detectors) for (const k of d.keywords) byKeyword.set(k, [...(byKeyword.get(k) ?? []), d]);
const anyKeyword = new RegExp(
  [...byKeyword.keys()].sort((a, b) => b.length - a.length).map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'),
  'g',
);

/** Where a secret-like name (password, token…) is: checked for an assignment afterwards. */
type NameHit = [index: number, length: number];
const sticky = new Map(detectors.filter((d) => d.anchored).map((d) => [d, new RegExp(d.pattern.source, d.pattern.flags.replace('g', '') + 'y')]));

function* matches(text: string): Generator<[Detector, RegExpExecArray]> {
  const triggered = new Set<Detector>();
  const resumeAt = new Map<Detector, number>();
  anyKeyword.lastIndex = 0;
  for (let k = anyKeyword.exec(text); k !== null; k = anyKeyword.exec(text)) {
    for (const detector of byKeyword.get(k[0]) ?? []) {
      const pattern = sticky.get(detector);
      if (!pattern) {
        triggered.add(detector);
        continue;
      }
      if (k.index < (resumeAt.get(detector) ?? 0)) continue;
      pattern.lastIndex = k.index;
      const m = pattern.exec(text);
      if (m) {
        resumeAt.set(detector, m.index + m[0].length);
        yield [detector, m];
      }
    }
  }
  for (const detector of triggered) {
    const pattern = detector.pattern;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) yield [detector, m];
  }
}

/** A secret matched by a specific detector is not reported again by a broader one. */
function addHit(hits: Hit[], hit: Hit): void {
  for (const h of hits) if (hit.start < h.end && h.start < hit.end) return;
  hits.push(hit);
}
