// Languages of a tree, from file names and extensions (EX24: the languages in use must be among those the
// platform's administrators approve). Counting files is enough to say "this repository contains Go"; a
// language with only generated or vendored files never shows, because the walk already skips those folders.
import type { SourceFile } from '../model.ts';

/** Lower-case extension (or whole file name) → language id. Data and markup formats are not languages. */
const byExtension: Record<string, string> = {
  '.ts': 'typescript', '.tsx': 'typescript', '.mts': 'typescript', '.cts': 'typescript',
  '.js': 'javascript', '.jsx': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript',
  '.vue': 'vue',
  '.java': 'java', '.kt': 'kotlin', '.kts': 'kotlin', '.scala': 'scala', '.groovy': 'groovy',
  '.py': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.rb': 'ruby',
  '.php': 'php',
  '.cs': 'csharp', '.fs': 'fsharp', '.vb': 'visual-basic',
  '.c': 'c', '.h': 'c', '.cc': 'cpp', '.cpp': 'cpp', '.cxx': 'cpp', '.hpp': 'cpp',
  '.swift': 'swift', '.m': 'objective-c',
  '.dart': 'dart',
  '.ex': 'elixir', '.exs': 'elixir', '.erl': 'erlang',
  '.clj': 'clojure', '.hs': 'haskell', '.ml': 'ocaml', '.lua': 'lua', '.r': 'r', '.pl': 'perl', '.pm': 'perl',
  '.sh': 'shell', '.bash': 'shell',
  '.ps1': 'powershell',
  '.cob': 'cobol', '.cbl': 'cobol',
  '.sql': 'sql',
};

export function languageOf(path: string): string | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return undefined;
  if (base.endsWith('.d.ts')) return undefined;
  return byExtension[base.slice(dot)];
}

/** Files per language, keys sorted. */
export function detectLanguages(files: readonly Pick<SourceFile, 'path'>[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const f of files) {
    const language = languageOf(f.path);
    if (language) counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : 1)));
}
