import { type ImportPlanSummary, ImportPlanSummarySchema } from '@envdesk/domain';
import { apiClient } from '../../../lib/api-client';

/** The declarative YAML of the environments named (every one when `guids` is absent), as the CLI's export writes it. */
export async function exportEnvironments(guids?: readonly string[]): Promise<string> {
  const body = await apiClient.post('/v1/environments/export', { body: guids ? { guids } : {} });
  return typeof body === 'string' ? body : '';
}

/** Saves `text` as a file the browser downloads. */
export function saveFile(text: string, fileName: string, type = 'application/yaml'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has started the download; revoking at once cancels it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** What importing `document` would do; the server changes nothing. */
export async function planImport(document: string): Promise<ImportPlanSummary> {
  return ImportPlanSummarySchema.parse(await apiClient.post('/v1/environments/import/plan', { body: { document } }));
}

/** Applies the plan, all of it or nothing; refused (400) when it has problems. */
export async function applyImport(document: string): Promise<ImportPlanSummary> {
  return ImportPlanSummarySchema.parse(await apiClient.post('/v1/environments/import', { body: { document } }));
}
