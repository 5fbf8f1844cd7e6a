// Ruby: Gemfile.lock. The GEM section's `specs:` list every installed gem at four spaces of indentation as
// "name (version)" (a platform may follow the version after a dash: nokogiri (1.15.4-x86_64-linux)).
// GIT and PATH sections are not from rubygems.org and are not checked.
import { componentOf, type ParseOutcome } from '../component.ts';

export function parseGemfileLock(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [] };
  const lines = text.split(/\r?\n/);
  let section = '';
  let inSpecs = false;
  const direct = new Set<string>();
  let top = '';
  for (const line of lines) {
    if (/^\S/.test(line)) top = line.trim();
    else if (top === 'DEPENDENCIES' && /^ {2}\S/.test(line)) direct.add(line.trim().split(/[\s!(]/)[0]!);
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\S/.test(line)) {
      section = line.trim();
      inSpecs = false;
      continue;
    }
    if (line.trim() === 'specs:') {
      inSpecs = true;
      continue;
    }
    if (!inSpecs || section !== 'GEM') continue;
    const m = /^ {4}([A-Za-z0-9._-]+) \(([^)]+)\)$/.exec(line);
    if (!m) continue;
    const version = m[2]!.replace(/-(x86|x64|arm|aarch64|java|universal|mingw|mswin|darwin|linux)[\w-]*$/, '');
    outcome.components.push(componentOf('RubyGems', m[1]!, version, file, { line: i + 1, direct: direct.has(m[1]!) }));
  }
  return outcome;
}
