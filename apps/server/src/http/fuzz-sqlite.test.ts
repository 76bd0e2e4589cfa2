import { fuzzEveryRoute } from '../test/fuzz-every-route.js';

// One file per database, so the two runs of the longest suite share the workers.
fuzzEveryRoute('sqlite');
