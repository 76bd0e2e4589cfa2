import { type ApiError, type CreateContentInput, CreateContentInputSchema, parseInput } from '@envdesk/domain';

/** The New content form: a name (what clients and URLs use) and an optional title (what people read). */
export interface NewContentValues {
  readonly name: string;
  readonly title: string;
}

export type NewContentField = keyof NewContentValues;
/** Problems by field; `''` holds one that belongs to no field. */
export type NewContentErrors = Partial<Record<NewContentField | '', string>>;

const LABELS: Record<NewContentField, string> = { name: 'Name', title: 'Title' };

export function requestBodyFrom(values: NewContentValues): CreateContentInput {
  const title = values.title.trim();
  return { name: values.name.trim(), title: title === '' ? null : title };
}

const isField = (field: unknown): field is NewContentField => field === 'name' || field === 'title';

function sentence(field: NewContentField, message: string): string {
  const text = message.replace(/\.$/, '');
  return text.toLowerCase().startsWith(LABELS[field].toLowerCase()) ? `${text}.` : `${LABELS[field]} ${text}.`;
}

/** A refusal (the server's, or the schema's before sending) as problems on the fields it names. */
export function errorsFrom(error: ApiError): NewContentErrors {
  const payload = error.payload ?? {};
  const listed = Array.isArray(payload['issues']) ? (payload['issues'] as Array<{ field?: unknown; message?: unknown }>) : [];
  const errors: NewContentErrors = {};
  for (const issue of listed) {
    if (isField(issue.field) && typeof issue.message === 'string') errors[issue.field] ??= sentence(issue.field, issue.message);
  }
  // A single problem (409 for a taken name): the server's sentence already says what is wrong.
  if (listed.length === 0 && isField(payload['field'])) errors[payload['field']] = error.message;
  if (Object.keys(errors).length === 0) errors[''] = error.message;
  return errors;
}

/** Checks the form with the server's own schema. */
export function validateNewContent(values: NewContentValues): NewContentErrors {
  if (values.name.trim() === '') return { name: 'Name is required.' };
  const result = parseInput(CreateContentInputSchema, requestBodyFrom(values));
  return result.ok ? {} : errorsFrom(result.error);
}
