// CPU seconds of this process and of the git processes it waited for: unlike wall time, not inflated by a busy
// machine. Shared by the GitOps benchmarks so their figures compare.
import { readFileSync } from 'node:fs';

export function cpuSeconds(): number {
  const own = process.cpuUsage();
  let children = 0;
  try {
    // /proc/self/stat fields 16 and 17: cutime and cstime of waited-for children, in clock ticks (100 per second).
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    children = (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    children = 0;
  }
  return (own.user + own.system) / 1e6 + children;
}
