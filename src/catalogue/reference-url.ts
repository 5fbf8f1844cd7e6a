// Which links the homologation dossier (HTML and OSCAL) may carry: absolute http(s) URLs of bounded length only;
// anything else (javascript:, data:, relative paths) stays plain text.

export function referenceUrl(value: string | undefined): string | undefined {
  if (!value || value.length > 2000) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
