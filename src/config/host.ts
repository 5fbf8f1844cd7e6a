// The host's executable search path (PATH): not a setting of DSO π, but the environment is read only by the
// configuration module, so the child processes that must find git, helm or bwrap ask for it here.

/** PATH as the console's process received it (a minimal system path when unset). */
export function executableSearchPath(): string {
  return process.env.PATH ?? '/usr/bin:/bin';
}
