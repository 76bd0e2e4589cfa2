/** The people e2e journeys sign in as: the bootstrap administrator (set by playwright.config.ts) and the demo users. */
export const accounts = {
  admin: {
    username: 'admin',
    password: 'e2e-admin-password',
    apiKey: 'e2e-bootstrap-api-key-0123456789',
    displayName: 'envdesk Administrator',
  },
  viewer: { username: 'vic', password: 'viewer-demo', displayName: 'Vic Viewer' },
  publisher: { username: 'pat', password: 'publisher-demo', displayName: 'Pat Publisher' },
} as const;
