import { configure } from '@testing-library/react';

// `findBy…` waits up to a second by default. A page's first test loads its lazily split chunk,
// which takes longer than that when the whole suite shares two cores with databases and browsers:
// the wait is for the page, not a limit on it, so it may be generous.
configure({ asyncUtilTimeout: 5_000 });
