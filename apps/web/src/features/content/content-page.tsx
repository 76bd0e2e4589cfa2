import { Page } from '../../components/page';

export function ContentPage() {
  return (
    <Page title="Content">
      <p className="placeholder">Content management arrives in a later release.</p>
    </Page>
  );
}
