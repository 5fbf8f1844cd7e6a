// Minimal typing of what bench/api.ts uses from autocannon 9 (the package ships no types).
declare module 'autocannon' {
  interface Result {
    latency: { p50: number; p99: number; average: number };
    requests: { average: number };
    non2xx: number;
    errors: number;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    workers?: number;
    headers?: Record<string, string>;
    requests?: { method?: string; path?: string }[];
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
