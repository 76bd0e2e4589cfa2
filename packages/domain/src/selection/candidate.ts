import type { Environment } from '../environments/environment-schemas.js';
import type { SelectionLanguage } from './version-matching.js';

/**
 * One environment as the selection judged it. Its own module because both the selection and the
 * deploy log that describes it need it, and the selection uses the log: with the type in either
 * of them the two would import each other.
 */

export interface CandidateInstallation {
  language: SelectionLanguage;
  version: string;
  path: string;
}

export interface CandidateChecks {
  /** Inside what was asked for: the requested image or environment, or every one for Automatic. */
  readonly inRequest: boolean;
  /** Not disabled (`none`), and not `exact` under Automatic selection. */
  readonly matching: boolean;
  /** The content's owner may use it. */
  readonly permitted: boolean;
  /** A compatible installation for every language the bundle uses; null when not judged (outside the request). */
  readonly compatible: boolean | null;
}

/** Read-only: candidates share their lists and checks (a selection among 10,000 environments makes few copies). */
export interface Candidate {
  environment: Environment;
  accepted: boolean;
  /** 1 = selected, 2 = next best, …; null when rejected. */
  rank: number | null;
  /** Why the environment was rejected, in plain words; empty when accepted. */
  reasons: readonly string[];
  /** The same judgement as flags, for programs (the picker) rather than people. */
  checks: CandidateChecks;
  /** The reasons that are about the bundle's versions: what makes it incompatible, whoever asks. */
  incompatibilities: readonly string[];
  /** The installation chosen for each language the bundle uses (R, Python, Quarto order); empty when rejected. */
  installations: readonly CandidateInstallation[];
}
