/**
 * Which database holds the data. Its own module so that the migrations, which branch on it, need
 * not import the connection code that runs them (that would be an import cycle).
 */
export type Dialect = 'sqlite' | 'postgres';
