import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Each architecture rule of eslint.config.js bites: small samples that break one rule get the
 * error, samples that keep to it get none. The samples are linted as if they sat in the repository
 * (a path that need not exist), with the repository's own configuration.
 */

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

describe('the domain imports only zod and its own files', () => {
  const domainFile = 'packages/domain/src/selection/lint-sample.ts';
  it.each([
    ['node:fs', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['fs without the node: prefix', "import { readFileSync } from 'fs';\nexport const x = readFileSync;\n"],
    ['express', "import express from 'express';\nexport const x = express;\n"],
    ['react', "import { useState } from 'react';\nexport const x = useState;\n"],
    ['kysely, types only', "import type { Kysely } from 'kysely';\nexport type X = Kysely<unknown>;\n"],
    ['the server package', "import type { App } from '@envdesk/server';\nexport type X = App;\n"],
    ['a server file by relative path', "import type { Store } from '../../../../apps/server/src/db/store.js';\nexport type X = Store;\n"],
    ['a web file by relative path', "import { queryClient } from '../../../../apps/web/src/lib/query-client';\nexport const x = queryClient;\n"],
  ])('refuses %s', async (_name, code) => {
    expect(await problems(domainFile, code)).toEqual([expect.stringMatching(/^(no-restricted-imports|import-x\/no-restricted-paths): .*only zod and its own files/)]);
  });

  it('allows zod and its own files', async () => {
    expect(await problems(domainFile, "import * as z from 'zod/mini';\nimport { can } from '../access/can.js';\nexport const x = [z, can];\n")).toEqual([]);
  });
});

describe('schemas are written with zod/mini', () => {
  it.each([
    ['the domain', 'packages/domain/src/selection/lint-sample.ts'],
    ['the web app', 'apps/web/src/lib/lint-sample.ts'],
    ['the server', 'apps/server/src/http/lint-sample.ts'],
  ])("refuses zod's classic API in %s", async (_name, filePath) => {
    expect(await problems(filePath, "import { z } from 'zod';\nexport const x = z;\n")).toEqual([expect.stringMatching(/^no-restricted-syntax: .*zod\/mini/)]);
  });

  it('refuses named imports of zod/mini, which the server bundle cannot trim', async () => {
    expect(await problems('apps/server/src/http/lint-sample.ts', "import { z } from 'zod/mini';\nexport const x = z;\n")).toEqual([
      expect.stringMatching(/^no-restricted-syntax: Import zod\/mini as a namespace/),
    ]);
  });
});

describe('the web app never imports the server', () => {
  it.each([
    ['by package name', "import type { App } from '@envdesk/server';\nexport type X = App;\n"],
    ['by relative path, types only', "import type { Store } from '../../../../server/src/db/store.js';\nexport type X = Store;\n"],
  ])('refuses it %s', async (_name, code) => {
    expect(await problems('apps/web/src/features/content/lint-sample.ts', code)).toContainEqual(expect.stringMatching(/^(no-restricted-imports|import-x\/no-restricted-paths): /));
  });

  it('may share the domain', async () => {
    expect(await problems('apps/web/src/lib/lint-sample.ts', "import { can } from '@envdesk/domain';\nexport const x = can;\n")).toEqual([]);
  });
});

describe('the web app uses only the React API that Preact’s compatibility layer has', () => {
  it.each([
    ['use', "import { use } from 'react';\nexport const x = use;\n"],
    ['useActionState', "import { useActionState } from 'react';\nexport const x = useActionState;\n"],
    ['useFormStatus', "import { useFormStatus } from 'react-dom';\nexport const x = useFormStatus;\n"],
  ])('refuses %s', async (_name, code) => {
    expect(await problems('apps/web/src/components/lint-sample.tsx', code)).toEqual([expect.stringMatching(/^no-restricted-imports: .*Preact’s compatibility layer/)]);
  });

  it('allows the hooks it has', async () => {
    const code = "import { useId, useState, useSyncExternalStore } from 'react';\nexport const x = [useId, useState, useSyncExternalStore];\n";
    expect(await problems('apps/web/src/components/lint-sample.tsx', code)).toEqual([]);
  });
});

describe("the web app's features do not import each other", () => {
  it('refuses a feature importing another, types included', async () => {
    const code = "import type { EnvironmentChoice } from '../../content/runtime-choices';\nexport type X = EnvironmentChoice;\n";
    expect(await problems('apps/web/src/features/environments/components/lint-sample.ts', code)).toEqual([
      expect.stringMatching(/^import-x\/no-restricted-paths: .*Features do not import each other/),
    ]);
  });

  it('refuses shared code importing a feature', async () => {
    const code = "import { ContentPage } from '../features/content/content-page';\nexport const x = ContentPage;\n";
    expect(await problems('apps/web/src/components/lint-sample.tsx', code)).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: .*does not depend on a feature/)]);
  });

  it('allows a feature its own files and the shared ones', async () => {
    const code = "import { DataTable } from '../../../components/data-table';\nimport { runtimeChoiceOf } from '../runtime-choices';\nexport const x = [DataTable, runtimeChoiceOf];\n";
    expect(await problems('apps/web/src/features/content/components/lint-sample.tsx', code)).toEqual([]);
  });
});

describe('no import cycles, type-only ones included', () => {
  // Cycles need files on disk (the other side of the cycle is read from it): a scratch project.
  let dir: string;
  let scratch: ESLint;
  const write = (name: string, code: string) => writeFileSync(path.join(dir, name), code);
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'envdesk-lint-'));
    // The repository's configuration, applied to the scratch directory.
    const config = ((await import(pathToFileURL(path.join(root, 'eslint.config.js')).href)) as { default: Linter.Config[] }).default;
    scratch = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config });
    write('plan.ts', "import type { Log } from './log.js';\nexport interface Plan { log: Log }\n");
    write('log.ts', "import type { Plan } from './plan.js';\nexport type Log = (plan: Plan) => string;\n");
    write('first.ts', "import { second } from './second.js';\nexport const first = () => second();\n");
    write('second.ts', "export type { Third } from './third.js';\nexport const second = () => 2;\n");
    write('third.ts', "import type { first } from './first.js';\nexport type Third = typeof first;\n");
    write('leaf.ts', 'export const leaf = 1;\n');
    write('user.ts', "import type { Plan } from './plan.js';\nimport { leaf } from './leaf.js';\nexport const use = (plan: Plan) => [plan, leaf];\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cycles = async (name: string) => {
    const [result] = await scratch.lintFiles([path.join(dir, name)]);
    return result!.messages.filter((message) => message.ruleId === 'envdesk/no-import-cycles').map((message) => message.message);
  };

  it('reports two modules that import only types from each other', async () => {
    expect(await cycles('plan.ts')).toEqual([expect.stringContaining('plan.ts → log.ts → plan.ts')]);
    expect(await cycles('log.ts')).toEqual([expect.stringContaining('log.ts → plan.ts → log.ts')]);
  });

  it('reports a longer cycle closed by a type re-export and a type import', async () => {
    expect(await cycles('first.ts')).toEqual([expect.stringContaining('first.ts → second.ts → third.ts → first.ts')]);
  });

  it('leaves alone a module that only imports into a cycle', async () => {
    expect(await cycles('user.ts')).toEqual([]);
    expect(await cycles('leaf.ts')).toEqual([]);
  });
});
