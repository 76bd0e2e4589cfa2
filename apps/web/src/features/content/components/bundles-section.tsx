import type { Content } from '@envdesk/domain';
import { LoadError } from '../../../components/load-error';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useAnnounce } from '../../../components/announcer';
import { FormField } from '../../../components/form-field';
import { errorMessage } from '../../../lib/api-client';
import { type Bundle, useBundleList } from '../api/list-bundles';
import { useUploadBundle } from '../api/upload-bundle';
import { bundleVersionsText } from '../runtime-choices';
import type { DeployState } from '../use-deploy';
import { DateTime } from '../../../components/date-time';

/** Older bundles stay behind "Show all" so a long-lived item's page stays short. */
const SHOWN_AT_FIRST = 5;

const sizeFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${sizeFormat.format(bytes / 1024)} KB`;
  return `${sizeFormat.format(bytes / (1024 * 1024))} MB`;
}

/** Upload a bundle (a .tar.gz with manifest.json) and deploy any bundle of the content. */
export function BundlesSection({ content, deploy }: { content: Content; deploy: DeployState }) {
  const id = useId().replace(/:/g, '');
  const bundles = useBundleList(content.guid);
  const upload = useUploadBundle(content.guid);
  const announce = useAnnounce();
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (upload.isPending) return;
    if (!file) {
      setProblem('Choose a .tar.gz bundle archive first.');
      fileInput.current?.focus();
      return;
    }
    try {
      const bundle = await upload.mutateAsync(file);
      setProblem(null);
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      announce(`Uploaded bundle ${bundle.id} (${formatSize(bundle.size)}). Deploy it to build and run it.`);
    } catch (error) {
      setProblem(`The bundle was not uploaded. ${errorMessage(error)}`);
      fileInput.current?.focus();
    }
  };

  const list = bundles.data ?? [];
  const shown = showAll ? list : list.slice(0, SHOWN_AT_FIRST);
  return (
    <section className="section content-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="section-title">
        Bundles
      </h2>
      <form className="upload-form" noValidate onSubmit={(event) => void submit(event)} aria-busy={upload.isPending}>
        <FormField
          id={`${id}-archive`}
          label="Bundle archive (.tar.gz)"
          error={problem ?? undefined}
          hint="A .tar.gz with a manifest.json at its top, as rsconnect and other publishing clients make it."
        >
          {(control) => (
            <input
              {...control}
              ref={fileInput}
              type="file"
              accept=".tar.gz,.tgz,application/gzip,application/x-gzip"
              onChange={(event) => {
                setFile(event.target.files?.[0] ?? null);
                setProblem(null);
              }}
            />
          )}
        </FormField>
        <button type="submit" className="button" aria-disabled={upload.isPending}>
          {upload.isPending ? 'Uploading…' : 'Upload bundle'}
        </button>
      </form>

      <h3 className="subsection-title">Uploaded bundles</h3>
      {bundles.isPending ? (
        <p role="status" className="muted">
          Loading bundles…
        </p>
      ) : bundles.isError ? (
        <LoadError what="The bundles" error={bundles.error} onRetry={() => void bundles.refetch()} />
      ) : list.length === 0 ? (
        <p className="section-empty">No bundles yet. Upload one, then deploy it to build and run the content.</p>
      ) : (
        <>
          <ul className="bundle-list" aria-label="Bundles, newest first">
            {shown.map((bundle) => (
              <BundleItem key={bundle.id} bundle={bundle} deployDisabled={deploy.busy} onDeploy={() => deploy.deploy(bundle.id)} />
            ))}
          </ul>
          {list.length > SHOWN_AT_FIRST && (
            <button type="button" className="button button-small button-quiet" onClick={() => setShowAll((value) => !value)}>
              {showAll ? 'Show fewer bundles' : `Show all ${list.length} bundles`}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** What the manifest says, known before any deploy: what kind of content, made with which versions. */
function ManifestSummary({ summary }: { summary: NonNullable<Bundle['manifest_summary']> }) {
  const versions = bundleVersionsText({ r: summary.r, python: summary.python, quarto: summary.quarto, rRequires: summary.r_requires, pythonRequires: summary.python_requires });
  return (
    <p className="bundle-detail">
      <span className="mono">{summary.app_mode}</span> made with {versions}
    </p>
  );
}

function BundleItem({ bundle, deployDisabled, onDeploy }: { bundle: Bundle; deployDisabled: boolean; onDeploy: () => void }) {
  const versions = [bundle.py_version && `Python ${bundle.py_version}`, bundle.r_version && `R ${bundle.r_version}`, bundle.quarto_version && `Quarto ${bundle.quarto_version}`]
    .filter(Boolean)
    .join(', ');
  return (
    <li className="bundle">
      <div className="bundle-text">
        <p className="bundle-name">
          <strong>Bundle {bundle.id}</strong>
          {bundle.active && <span className="pill pill-any">Active</span>}
        </p>
        <p className="muted bundle-detail">
          Uploaded <DateTime value={bundle.created_time} /> · {formatSize(bundle.size)}
        </p>
        {bundle.manifest_summary && <ManifestSummary summary={bundle.manifest_summary} />}
        {bundle.image_name && (
          <p className="muted bundle-detail">
            Built in <span className="mono">{bundle.image_name}</span>
            {versions && ` (${versions})`}
          </p>
        )}
      </div>
      {/* aria-disabled, not disabled: the button keeps focus while its deploy runs. */}
      <button
        type="button"
        className="button button-small"
        aria-disabled={deployDisabled}
        onClick={() => {
          if (!deployDisabled) onDeploy();
        }}
      >
        Deploy<span className="visually-hidden"> bundle {bundle.id}</span>
      </button>
    </li>
  );
}
