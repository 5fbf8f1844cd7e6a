// The secrets scan of one file: pure, synchronous, run in worker threads by the engine.
import { createHash } from 'node:crypto';
import { findingOf, type Finding, type Rule } from '../model.ts';
import { assignmentAt, bareValuesAllowed, isTranslationFile, secretName } from './assignments.ts';
import { detectors, dockerConfigDetector, dockerConfigFile, labelledValueOf, type Detector } from './detectors.ts';
import { KeywordIndex } from './keywords.ts';
import { eachMatchNear, nameAnchors, nearPatterns } from './locate.ts';
import { maskSecret } from './mask.ts';
import { foundMessage } from './messages.ts';
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
  const found = (detector: Detector, m: RegExpExecArray) => {
    const secret = m[detector.secretGroup];
    if (secret === undefined || (detector.accept && !detector.accept(secret, m))) return;
    const secretStart = m.index + m[0].lastIndexOf(secret);
    const start = detector.locateAtMatch ? m.index : secretStart;
    addHit(hits, { rule: detector.rule, label: detector.label, secret, start, end: secretStart + secret.length });
  };
  const translations = isTranslationFile(path);
  // One pass per needle finds both the detectors' keywords and the secret-like names (keywords.ts).
  const located = keywordIndex.locate(text, !translations);
  findDetectorMatches(text, located.keywords, found);
  if (dockerConfigFile.test(path) && text.includes('"auths"')) {
    const pattern = dockerConfigDetector.pattern;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) found(dockerConfigDetector, m);
  }
  // Secret-like names, in order, each looked at as soon as it is found (no list of positions is built).
  let bareAllowed: boolean | undefined;
  let after = -1;
  if (!translations) eachMatchNear(text, nameNear, located.names, (index, name) => {
    if (index < after) return;
    const a = assignmentAt(text, index, name.length, (bareAllowed ??= bareValuesAllowed(path)));
    if (!a) return;
    if ('skipTo' in a) {
      after = a.skipTo;
      return;
    }
    after = a.valueEnd;
    const provider = labelledValueOf(a.name, a.value);
    if (provider)
      addHit(hits, { rule: provider.rule, label: provider.label, secret: a.value, start: a.start, end: a.end });
    else if (a.accepted)
      addHit(hits, {
        rule: a.kind === 'password' ? secretRules.password : secretRules.genericSecret,
        label: `Literal assigned to "${a.name}"`,
        secret: a.value,
        start: a.start,
        end: a.end,
      });
  });
  if (hits.length === 0) return [];
  const lines = new LineIndex(text);
  const findings: Finding[] = [];
  for (const hit of hits) {
    const line = lines.lineOf(hit.start);
    if (lines.textOf(line).includes(inlineAllowMarker)) continue;
    const key = createHash('sha256').update(hit.secret).digest('hex');
    const masked = maskSecret(hit.secret);
    findings.push(
      findingOf(hit.rule, { file: path, line }, foundMessage(hit.rule.id, hit.label, masked), key, { masked }),
    );
  }
  return findings;
}

// Every keyword of every detector, found through its anchor character (keywords.ts); anchored detectors are then
// tried exactly where their keyword is.
const keywordList = [...new Set(detectors.flatMap((d) => d.keywords))];
const detectorsByKeyword = keywordList.map((k) => detectors.filter((d) => d.keywords.includes(k)));
export const keywordIndex = new KeywordIndex(keywordList, nameAnchors);
const nameNear = nearPatterns(secretName.source);

const sticky = new Map(detectors.filter((d) => d.anchored).map((d) => [d, new RegExp(d.pattern.source, d.pattern.flags.replace('g', '') + 'y')]));

/**
 * Every match of every detector whose keyword is in the text. Anchored detectors are tried at their keyword only
 * (never inside their own previous match); the others run once over the whole text.
 */
function findDetectorMatches(
  text: string,
  occurrences: Float64Array,
  found: (detector: Detector, m: RegExpExecArray) => void,
): void {
  if (occurrences.length === 0) return;
  let triggered: Set<Detector> | undefined;
  let resumeAt: Map<Detector, number> | undefined;
  for (const packed of occurrences) {
    const index = Math.floor(packed / 1024);
    for (const detector of detectorsByKeyword[packed % 1024] as Detector[]) {
      const pattern = sticky.get(detector);
      if (!pattern) {
        (triggered ??= new Set()).add(detector);
        continue;
      }
      if (resumeAt !== undefined && index < (resumeAt.get(detector) ?? 0)) continue;
      pattern.lastIndex = index;
      const m = pattern.exec(text);
      if (m) {
        (resumeAt ??= new Map()).set(detector, m.index + m[0].length);
        found(detector, m);
      }
    }
  }
  if (triggered === undefined) return;
  for (const detector of triggered) {
    const pattern = detector.pattern;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) found(detector, m);
  }
}

/**
 * Findings per file, at most: a file with more secret-shaped values than this is generated or hostile, its first
 * findings say enough, and the overlap test below stays bounded (it compares each hit with the ones before it).
 */
export const maxHitsPerFile = 500;

/** A secret matched by a specific detector is not reported again by a broader one. */
function addHit(hits: Hit[], hit: Hit): void {
  if (hits.length >= maxHitsPerFile) return;
  for (const h of hits) if (hit.start < h.end && h.start < hit.end) return;
  hits.push(hit);
}
