export * from './errors.js';
export * from './validation.js';
export * from './versions/version.js';
export * from './environments/image-reference.js';
export * from './environments/environment-schemas.js';
export * from './environments/environment-permission-schemas.js';
export * from './users/user-schemas.js';
export * from './access/can.js';
