/** R's base package names the R version (`Version:`): `R_HOME/library/base/DESCRIPTION`, R_HOME being `PREFIX/lib/R` or `PREFIX/lib64/R`. */
const R_DESCRIPTION = '/R/library/base/DESCRIPTION';
/** Python's C headers name the full version (`PY_VERSION`): `PREFIX/include/python3.12/patchlevel.h`, also `python2.7`, `python3.7m`, `python3.13t`. */
const PYTHON_PATCHLEVEL = /\/include\/python\d+(?:\.\d+)?[a-z]*\/patchlevel\.h$/;
/** Quarto's `PREFIX/share/version` holds its version alone. */
const QUARTO_VERSION = '/share/version';
/**
 * `share/version` is a generic name, so it is kept only where a Quarto installation can be: a
 * prefix with a folder named for Quarto (its homes `/opt/quarto`, `/opt/local/quarto`, unpacked
 * `quarto-1.4.557`, RStudio's bundled `…/bin/quarto`), or a common prefix a `PATH` link reaches.
 */
const QUARTO_PREFIX = /quarto/i;
const COMMON_PREFIXES = new Set(['', '/usr', '/usr/local', '/opt', '/opt/local']);

/**
 * Whether the layer reader must keep the content of the file at `path` (absolute, as in the
 * image; a tar header's `./opt/…` or `opt/…` is read the same way): the small files that name an
 * installation's version. Called on every tar header, so suffix tests only.
 */
export function holdsVersion(path: string): boolean {
  const absolute = path.startsWith('/') ? path : path.startsWith('./') ? path.slice(1) : `/${path}`;
  if (absolute.endsWith(R_DESCRIPTION)) return true;
  if (absolute.endsWith('/patchlevel.h')) return PYTHON_PATCHLEVEL.test(absolute);
  if (absolute.endsWith(QUARTO_VERSION)) {
    const prefix = absolute.slice(0, -QUARTO_VERSION.length);
    return COMMON_PREFIXES.has(prefix) || QUARTO_PREFIX.test(prefix);
  }
  return false;
}
