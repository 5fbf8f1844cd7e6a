// Turns a TOML parse error (smol-toml) into a located problem, the same for every TOML manifest and lockfile
// (pyproject.toml, poetry.lock, uv.lock, Cargo.lock, libs.versions.toml).
import { TomlError } from 'smol-toml';
import type { ParseProblem } from '../component.ts';

export function tomlProblem(error: unknown): ParseProblem {
  if (error instanceof TomlError) return { line: error.line, column: error.column, message: `invalid TOML: ${error.message.split('\n')[0]}` };
  return { message: `invalid TOML: ${error instanceof RangeError ? 'nesting too deep' : (error as Error).message}` };
}
