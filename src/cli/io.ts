// Where a CLI command writes and which environment it reads: the CLI's own variables (DSO_URL, DSO_TOKEN,
// DSO_LANG, DSO_DATA_DIR, DSO_CHART_REPOSITORY_URL, DSO_MAVEN_REPOSITORY…) reach commands only through this object,
// the one place outside src/config.ts allowed to read process.env. Tests pass their own.

export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
};
