import { ApiError, ErrorCode } from '@envdesk/domain';
import { describe, expect, it } from 'vitest';
import { errorsFrom, requestBodyFrom, validateNewContent } from './new-content-values';

describe('the New content form', () => {
  it.each([
    [{ name: '', title: '' }, { name: 'Name is required.' }],
    [{ name: 'ab', title: '' }, { name: 'Name must be at least 3 characters.' }],
    [{ name: 'sales forecast', title: '' }, { name: 'Name may hold letters, digits, ".", "_" and "-".' }],
    [{ name: 'sales-forecast', title: 'Sales forecast' }, {}],
    [{ name: ' sales-forecast ', title: '  ' }, {}],
  ])('%j has the problems %j', (values, problems) => {
    expect(validateNewContent(values)).toEqual(problems);
  });

  it('sends the trimmed name, and no title when none is given', () => {
    expect(requestBodyFrom({ name: ' api ', title: ' ' })).toEqual({ name: 'api', title: null });
    expect(requestBodyFrom({ name: 'api', title: ' The API ' })).toEqual({ name: 'api', title: 'The API' });
  });

  it('puts the server’s refusal on the field it names, or above the form', () => {
    const taken = new ApiError(ErrorCode.DuplicateName, 'You already have content named "api".', { field: 'name' });
    expect(errorsFrom(taken)).toEqual({ name: 'You already have content named "api".' });
    const denied = new ApiError(ErrorCode.PermissionDenied, "You don't have permission to perform this operation.");
    expect(errorsFrom(denied)).toEqual({ '': "You don't have permission to perform this operation." });
  });
});
