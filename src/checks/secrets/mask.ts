// Every output shows a secret masked: enough to recognise it, never enough to use it.
export function maskSecret(secret: string): string {
  return `${secret.slice(0, 4)}***`;
}
